namespace IpoeRouter.Protocols.Wire;

/// <summary>Immutable bytes with value equality (for records holding raw option data or identifiers).</summary>
public readonly struct ByteString(byte[] value) : IEquatable<ByteString>
{
    private readonly byte[] _value = value ?? [];

    /// <summary>The bytes.</summary>
    public ReadOnlySpan<byte> Span => _value ?? [];

    /// <summary>How many.</summary>
    public int Length => Span.Length;

    /// <inheritdoc/>
    public bool Equals(ByteString other) => Span.SequenceEqual(other.Span);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ByteString b && Equals(b);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(Span);
        return h.ToHashCode();
    }

    /// <summary>Lower-case hex with colons.</summary>
    public override string ToString() => string.Join(':', (_value ?? []).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Equality.</summary>
    public static bool operator ==(ByteString left, ByteString right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ByteString left, ByteString right) => !left.Equals(right);
}
