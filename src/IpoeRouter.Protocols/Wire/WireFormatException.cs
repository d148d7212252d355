namespace IpoeRouter.Protocols.Wire;

/// <summary>A packet that does not fit its own lengths: which field, at which byte offset.</summary>
public sealed class WireFormatException(string field, int offset, string problem)
    : Exception($"Malformed packet: {field} at offset {offset}: {problem}")
{
    /// <summary>The field being read.</summary>
    public string Field { get; } = field;

    /// <summary>The byte offset in the packet (or option) where it starts.</summary>
    public int Offset { get; } = offset;

    /// <summary>What is wrong there, without the field and offset.</summary>
    public string Problem { get; } = problem;
}
