using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Yaml;

/// <summary>One mapping being read; getters report wrong types with the field's own location.</summary>
public sealed class MapNode(YamlNodeReader reader, YamlMappingNode node, string what)
{
    public YamlMappingNode Node { get; } = node;

    public string What { get; } = what;

    public YamlNode? Get(string key) =>
        Node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public bool Has(string key) => Get(key) is not null;

    public string? String(string key, bool required = false)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
            {
                reader.Error(Node, $"{What} needs \"{key}\"");
            }
            return null;
        }
        if (value is YamlScalarNode scalar && !IsNull(scalar))
        {
            return scalar.Value;
        }
        if (required || value is not YamlScalarNode)
        {
            reader.Error(value, $"{key} in {What} must be a string, found {YamlNodeReader.Describe(value)}");
        }
        return null;
    }

    public bool? Bool(string key)
    {
        if (Get(key) is not { } value)
        {
            return null;
        }
        if (value is YamlScalarNode { Value: "true" or "True" or "false" or "False" } scalar)
        {
            return scalar.Value is "true" or "True";
        }
        reader.Error(value, $"{key} in {What} must be true or false, found {YamlNodeReader.Describe(value)}");
        return null;
    }

    public long? Integer(string key, long min = long.MinValue, long max = long.MaxValue)
    {
        if (Get(key) is not { } value)
        {
            return null;
        }
        return ReadInteger(reader, value, $"{key} in {What}", min, max);
    }

    public static long? ReadInteger(YamlNodeReader reader, YamlNode value, string what, long min, long max)
    {
        if (value is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } scalar &&
            long.TryParse(scalar.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            if (number < min || number > max)
            {
                reader.Error(value, $"{what} must be between {min} and {max}, found {number}");
                return null;
            }
            return number;
        }
        reader.Error(value, $"{what} must be a whole number, found {YamlNodeReader.Describe(value)}");
        return null;
    }

    /// <summary>A list of strings; a single string is an error (it is nearly always a forgotten dash).</summary>
    public IReadOnlyList<(string Value, YamlNode Node)> StringList(string key, bool required = false)
    {
        var items = List(key, required);
        var list = new List<(string, YamlNode)>(items.Count);
        foreach (var item in items)
        {
            if (item is YamlScalarNode scalar && !IsNull(scalar))
            {
                list.Add((scalar.Value!, item));
            }
            else
            {
                reader.Error(item, $"items of {key} in {What} must be strings, found {YamlNodeReader.Describe(item)}");
            }
        }
        return list;
    }

    public IReadOnlyList<YamlNode> List(string key, bool required = false)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
            {
                reader.Error(Node, $"{What} needs \"{key}\"");
            }
            return [];
        }
        if (value is not YamlSequenceNode sequence)
        {
            reader.Error(value, $"{key} in {What} must be a list, found {YamlNodeReader.Describe(value)}");
            return [];
        }
        return [.. sequence.Children];
    }

    /// <summary>A mapping of string to string (labels).</summary>
    public IReadOnlyList<(string Key, string Value, YamlNode Node)> StringMap(string key)
    {
        if (Get(key) is not { } value)
        {
            return [];
        }
        if (value is not YamlMappingNode mapping)
        {
            reader.Error(value, $"{key} in {What} must be a mapping, found {YamlNodeReader.Describe(value)}");
            return [];
        }
        var list = new List<(string, string, YamlNode)>();
        foreach (var (k, v) in mapping.Children)
        {
            if (v is YamlScalarNode scalar && !IsNull(scalar))
            {
                list.Add((((YamlScalarNode)k).Value ?? "", scalar.Value!, v));
            }
            else
            {
                reader.Error(v, $"values of {key} in {What} must be strings, found {YamlNodeReader.Describe(v)}");
            }
        }
        return list;
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
