using Xunit;

namespace IpoeRouter.Lab;

/// <summary>A theory that needs root and network namespaces; skips with the reason otherwise (see <see cref="NetnsFactAttribute"/>).</summary>
public sealed class NetnsTheoryAttribute : TheoryAttribute
{
    public NetnsTheoryAttribute() => Skip = new NetnsFactAttribute().Skip;
}
