namespace IpoeRouter.Engine.Diagnostics;

/// <summary>A link the router's document uses: its name and kernel index (<c>ip link</c>'s number), or 0 when it does not exist yet.</summary>
public sealed record RouterLink(string Name, int Index);
