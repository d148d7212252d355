namespace IpoeRouter.Engine.Diagnostics;

/// <summary>A running process of a program the conflict scan knows (<see cref="ConflictRemedies.KnownPorts"/>): pid, <c>/proc/PID/comm</c> and real uid.</summary>
public sealed record RunningProgram(int Pid, string Name, int Uid);
