namespace IpoeRouter.Model.Yaml;

/// <summary>How enum members are spelt in YAML: camelCase of the member name (<c>DsLite</c> → <c>dsLite</c>).</summary>
public static class YamlNames
{
    /// <summary>The YAML word for <paramref name="value"/>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        string name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
