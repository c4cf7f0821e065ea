using System.Globalization;
using System.Text.RegularExpressions;

namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// Timestamps and durations: <c>timestamp('2009-02-13T23:31:30Z')</c> (RFC 3339), <c>timestamp(int)</c>,
/// <c>duration('1h30m')</c> (Go's duration syntax), their arithmetic, and the getters with an optional
/// time zone (an IANA name, or an offset like <c>-02:30</c>). Nanosecond precision; timestamps from
/// year 1 to 9999, durations within ±10,000 years, as the spec requires.
/// </summary>
internal static partial class CelTime
{
    public static readonly Int128 NanosPerSecond = 1_000_000_000;
    public static readonly Int128 MinTimestamp = (Int128)(-62135596800L) * 1_000_000_000;
    public static readonly Int128 MaxTimestamp = ((Int128)253402300799L * 1_000_000_000) + 999_999_999;
    public static readonly Int128 MaxDuration = ((Int128)315576000000L * 1_000_000_000) + 999_999_999;

    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"\G(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();

    public static CelValue ToTimestamp(CelValue v)
    {
        switch (v.Kind)
        {
            case CelKind.Timestamp: return v;
            case CelKind.Int: return CelValue.Timestamp((Int128)v.AsInt * NanosPerSecond);
            case CelKind.String:
                var match = Rfc3339().Match(v.AsString);
                if (!match.Success)
                {
                    return CelValue.Error($"cannot parse '{v.AsString}' as a timestamp (RFC 3339)");
                }
                int Part(int i) => int.Parse(match.Groups[i].ValueSpan, CultureInfo.InvariantCulture);
                DateTime date;
                try
                {
                    date = new DateTime(Part(1), Part(2), Part(3), Part(4), Part(5), Part(6), DateTimeKind.Utc);
                }
                catch (ArgumentOutOfRangeException)
                {
                    return CelValue.Error($"timestamp '{v.AsString}' is out of range");
                }
                var seconds = (long)Math.Floor((date - Epoch).TotalSeconds);
                var zone = match.Groups[8].Value;
                if (zone is not ("Z" or "z"))
                {
                    var offset = (int.Parse(zone.AsSpan(1, 2), CultureInfo.InvariantCulture) * 3600) + (int.Parse(zone.AsSpan(4, 2), CultureInfo.InvariantCulture) * 60);
                    seconds -= zone[0] == '-' ? -offset : offset;
                }
                var fraction = match.Groups[7].Success ? int.Parse(match.Groups[7].Value.PadRight(9, '0'), CultureInfo.InvariantCulture) : 0;
                return CelValue.Timestamp(((Int128)seconds * NanosPerSecond) + fraction);
            case CelKind.Error: return v;
            default: return CelValue.NoSuchOverload("timestamp");
        }
    }

    public static CelValue ToDuration(CelValue v)
    {
        switch (v.Kind)
        {
            case CelKind.Duration: return v;
            case CelKind.String: return ParseDuration(v.AsString) is { } nanos ? CelValue.Duration(nanos) : CelValue.Error($"cannot parse '{v.AsString}' as a duration");
            case CelKind.Error: return v;
            default: return CelValue.NoSuchOverload("duration");
        }
    }

    private static Int128? ParseDuration(string text)
    {
        var at = 0;
        var negative = false;
        if (at < text.Length && text[at] is '-' or '+')
        {
            negative = text[at] == '-';
            at++;
        }
        if (text.AsSpan(at) is "0")
        {
            return 0;
        }
        if (at >= text.Length)
        {
            return null;
        }
        Int128 total = 0;
        while (at < text.Length)
        {
            var part = DurationPart().Match(text, at);
            if (!part.Success || (part.Groups[1].Length == 0 && part.Groups[2].Length == 0) || part.Length == 0)
            {
                return null;
            }
            Int128 unit = part.Groups[3].Value switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1_000,
                "ms" => 1_000_000,
                "s" => 1_000_000_000,
                "m" => 60_000_000_000,
                _ => 3_600_000_000_000,
            };
            if (part.Groups[1].Length > 18)
            {
                return null;
            }
            var whole = part.Groups[1].Length == 0 ? 0 : Int128.Parse(part.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            total += whole * unit;
            var fraction = part.Groups[2].Value;
            if (fraction.Length > 0)
            {
                var digits = fraction.Length > 18 ? fraction[..18] : fraction;
                var scale = Int128.Parse("1" + new string('0', digits.Length), CultureInfo.InvariantCulture);
                total += Int128.Parse(digits, CultureInfo.InvariantCulture) * unit / scale;
            }
            if (total > MaxDuration * 2)
            {
                return null;
            }
            at += part.Length;
        }
        return negative ? -total : total;
    }

    /// <summary>RFC 3339 for a timestamp (fraction without trailing zeros), seconds with an <c>s</c> for a duration.</summary>
    public static string Format(CelValue v)
    {
        var nanos = v.AsNanos;
        if (v.Kind == CelKind.Duration)
        {
            var magnitude = Int128.Abs(nanos);
            var (seconds, rest) = Int128.DivRem(magnitude, NanosPerSecond);
            var fraction = rest == 0 ? "" : "." + ((long)rest).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
            return $"{(nanos < 0 ? "-" : "")}{seconds}{fraction}s";
        }
        var (date, subsecond) = DateOf(v);
        var text = date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return subsecond == 0 ? text + "Z" : $"{text}.{subsecond.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0')}Z";
    }

    private static (DateTime Date, int Nanos) DateOf(CelValue v)
    {
        var nanos = v.AsNanos;
        var rest = (int)(((nanos % NanosPerSecond) + NanosPerSecond) % NanosPerSecond);
        var seconds = (long)((nanos - rest) / NanosPerSecond);
        return (Epoch.AddSeconds(seconds), rest);
    }

    /// <summary><c>getFullYear</c>, <c>getMonth</c>… on a timestamp (in UTC or <paramref name="zone"/>) or a duration.</summary>
    public static CelValue Get(CelValue v, CelValue zone, string name)
    {
        if (v.Kind == CelKind.Duration)
        {
            if (zone.Kind != CelKind.Null)
            {
                return CelValue.NoSuchOverload(name);
            }
            var nanos = v.AsNanos;
            return name switch
            {
                "getHours" => CelValue.Int((long)(nanos / 3_600_000_000_000)),
                "getMinutes" => CelValue.Int((long)(nanos / 60_000_000_000)),
                "getSeconds" => CelValue.Int((long)(nanos / NanosPerSecond)),
                "getMilliseconds" => CelValue.Int((long)(nanos % NanosPerSecond / 1_000_000)),
                _ => CelValue.NoSuchOverload(name),
            };
        }
        if (v.Kind != CelKind.Timestamp || zone.Kind is not (CelKind.Null or CelKind.String))
        {
            return v.IsError ? v : zone.IsError ? zone : CelValue.NoSuchOverload(name);
        }
        var (utc, subsecond) = DateOf(v);
        var local = utc;
        if (zone.Kind == CelKind.String)
        {
            if (InZone(utc, zone.AsString) is not { } converted)
            {
                return CelValue.Error($"unknown time zone '{zone.AsString}'");
            }
            local = converted;
        }
        return name switch
        {
            "getFullYear" => CelValue.Int(local.Year),
            "getMonth" => CelValue.Int(local.Month - 1),
            "getDate" => CelValue.Int(local.Day),
            "getDayOfMonth" => CelValue.Int(local.Day - 1),
            "getDayOfWeek" => CelValue.Int((int)local.DayOfWeek),
            "getDayOfYear" => CelValue.Int(local.DayOfYear - 1),
            "getHours" => CelValue.Int(local.Hour),
            "getMinutes" => CelValue.Int(local.Minute),
            "getSeconds" => CelValue.Int(local.Second),
            _ => CelValue.Int(subsecond / 1_000_000),
        };
    }

    private static DateTime? InZone(DateTime utc, string zone)
    {
        var offset = zone.TrimStart('+', '-');
        if (offset.Length == 5 && offset[2] == ':' && int.TryParse(offset.AsSpan(0, 2), CultureInfo.InvariantCulture, out var hours)
            && int.TryParse(offset.AsSpan(3, 2), CultureInfo.InvariantCulture, out var minutes))
        {
            var span = new TimeSpan(hours, minutes, 0);
            return utc + (zone[0] == '-' ? -span : span);
        }
        if (zone is "UTC" or "Z")
        {
            return utc;
        }
        try
        {
            return TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZoneInfo.FindSystemTimeZoneById(zone));
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }
}
