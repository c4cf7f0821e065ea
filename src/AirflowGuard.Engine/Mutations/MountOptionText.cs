using System.Globalization;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Mutations;

/// <summary>Reads and extends mount options in each driver's own syntax.</summary>
internal static class MountOptionText
{
    /// <summary>The option's name: "-o uid=50000" → "uid", "allow_other" → "allow-other", "--file-mode=0664" → "file-mode".</summary>
    public static string KeyOf(string option)
    {
        var text = option.Trim();
        if (text.StartsWith("-o", StringComparison.Ordinal))
        {
            text = text[2..].TrimStart();
        }
        text = text.TrimStart('-');
        var end = text.AsSpan().IndexOfAny('=', ' ');
        var key = end < 0 ? text : text[..end];
        return key.ToLowerInvariant().Replace('_', '-');
    }

    /// <summary>The individual options in a flags string ("-o uid=1 -oallow_other") or a comma string.</summary>
    public static IReadOnlyList<string> Split(OptionStyle style, string text)
    {
        if (style == OptionStyle.Comma)
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var options = new List<string>(tokens.Length);
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] == "-o" && i + 1 < tokens.Length)
            {
                options.Add("-o " + tokens[++i]);
            }
            else
            {
                options.Add(tokens[i]);
            }
        }
        return options;
    }

    /// <summary>Appends <paramref name="additions"/> to a string of options in <paramref name="style"/>.</summary>
    public static string Append(OptionStyle style, string existing, IReadOnlyList<string> additions)
    {
        var separator = style == OptionStyle.Comma ? "," : " ";
        var joined = string.Join(separator, additions);
        var trimmed = existing.Trim();
        return trimmed.Length == 0 ? joined : trimmed + separator + joined;
    }

    /// <summary>File and directory modes a umask leaves: "002" → ("0664", "0775").</summary>
    public static (string FileMode, string DirMode) ModesFor(string umask)
    {
        var mask = Convert.ToInt32(umask, 8);
        return (Octal(0x1B6 & ~mask), Octal(0x1FF & ~mask)); // 0666, 0777
    }

    public static bool IsValidUmask(string text) =>
        text.Length is >= 3 and <= 4 && text.All(c => c is >= '0' and <= '7');

    private static string Octal(int value) => "0" + Convert.ToString(value, 8).PadLeft(3, '0').ToString(CultureInfo.InvariantCulture);
}
