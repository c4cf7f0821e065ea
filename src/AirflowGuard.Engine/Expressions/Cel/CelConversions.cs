using System.Globalization;
using System.Text;

namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>The type conversion functions: <c>int()</c>, <c>uint()</c>, <c>double()</c>, <c>string()</c>, <c>bytes()</c>, <c>bool()</c>, <c>type()</c>.</summary>
internal static class CelConversions
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static CelValue ToInt(CelValue v)
    {
        switch (v.Kind)
        {
            case CelKind.Int: return v;
            case CelKind.Uint: return v.AsUint > long.MaxValue ? CelValue.Error("range error: uint to int") : CelValue.Int((long)v.AsUint);
            case CelKind.Double:
                var d = v.AsDouble;
                return double.IsNaN(d) || d <= -9.2233720368547758E18 || d >= 9.2233720368547758E18
                    ? CelValue.Error("range error: double to int") : CelValue.Int((long)d);
            case CelKind.Timestamp:
                var rest = ((v.AsNanos % CelTime.NanosPerSecond) + CelTime.NanosPerSecond) % CelTime.NanosPerSecond;
                return CelValue.Int((long)((v.AsNanos - rest) / CelTime.NanosPerSecond));
            case CelKind.String:
                return long.TryParse(v.AsString, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                    ? CelValue.Int(i) : CelValue.Error($"cannot convert '{v.AsString}' to int");
            case CelKind.Error: return v;
            default: return CelValue.NoSuchOverload("int");
        }
    }

    public static CelValue ToUint(CelValue v)
    {
        switch (v.Kind)
        {
            case CelKind.Uint: return v;
            case CelKind.Int: return v.AsInt < 0 ? CelValue.Error("range error: int to uint") : CelValue.Uint((ulong)v.AsInt);
            case CelKind.Double:
                var d = v.AsDouble;
                return double.IsNaN(d) || d < 0 || d >= 1.8446744073709552E19
                    ? CelValue.Error("range error: double to uint") : CelValue.Uint((ulong)d);
            case CelKind.String:
                return ulong.TryParse(v.AsString, NumberStyles.None, CultureInfo.InvariantCulture, out var u)
                    ? CelValue.Uint(u) : CelValue.Error($"cannot convert '{v.AsString}' to uint");
            case CelKind.Error: return v;
            default: return CelValue.NoSuchOverload("uint");
        }
    }

    public static CelValue ToDouble(CelValue v)
    {
        switch (v.Kind)
        {
            case CelKind.Double: return v;
            case CelKind.Int: return CelValue.Double(v.AsInt);
            case CelKind.Uint: return CelValue.Double(v.AsUint);
            case CelKind.String:
                var s = v.AsString;
                if (s is "NaN" or "nan")
                {
                    return CelValue.Double(double.NaN);
                }
                if (s is "inf" or "+inf" or "Infinity" or "+Infinity")
                {
                    return CelValue.Double(double.PositiveInfinity);
                }
                if (s is "-inf" or "-Infinity")
                {
                    return CelValue.Double(double.NegativeInfinity);
                }
                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    ? CelValue.Double(d) : CelValue.Error($"cannot convert '{s}' to double");
            case CelKind.Error: return v;
            default: return CelValue.NoSuchOverload("double");
        }
    }

    public static CelValue ToStringValue(CelValue v)
    {
        switch (v.Kind)
        {
            case CelKind.String: return v;
            case CelKind.Int: return CelValue.String(v.AsInt.ToString(CultureInfo.InvariantCulture));
            case CelKind.Uint: return CelValue.String(v.AsUint.ToString(CultureInfo.InvariantCulture));
            case CelKind.Double: return CelValue.String(FormatDouble(v.AsDouble));
            case CelKind.Bool: return CelValue.String(v.AsBool ? "true" : "false");
            case CelKind.Timestamp or CelKind.Duration: return CelValue.String(CelTime.Format(v));
            case CelKind.Bytes:
                try
                {
                    return CelValue.String(StrictUtf8.GetString(v.AsBytes));
                }
                catch (DecoderFallbackException)
                {
                    return CelValue.Error("invalid UTF-8 in bytes, cannot convert to string");
                }
            case CelKind.Error: return v;
            default: return CelValue.NoSuchOverload("string");
        }
    }

    public static CelValue ToBytes(CelValue v) => v.Kind switch
    {
        CelKind.Bytes => v,
        CelKind.String => CelValue.Bytes(Encoding.UTF8.GetBytes(v.AsString)),
        CelKind.Error => v,
        _ => CelValue.NoSuchOverload("bytes"),
    };

    public static CelValue ToBool(CelValue v)
    {
        switch (v.Kind)
        {
            case CelKind.Bool: return v;
            case CelKind.String:
                switch (v.AsString)
                {
                    case "1" or "t" or "T" or "true" or "TRUE" or "True": return CelValue.True;
                    case "0" or "f" or "F" or "false" or "FALSE" or "False": return CelValue.False;
                    default: return CelValue.Error($"cannot convert '{v.AsString}' to bool");
                }
            case CelKind.Error: return v;
            default: return CelValue.NoSuchOverload("bool");
        }
    }

    public static CelValue TypeOf(CelValue v) => v.IsError ? v : CelValue.Type(v.TypeOf);

    /// <summary>A double as CEL prints it: the shortest text that reads back the same, exponents in lower case.</summary>
    public static string FormatDouble(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? "+Inf" : "-Inf";
        }
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text;
        }
        // Go's %g: 1e+20, 1e-07 (at least two exponent digits)
        var mantissa = text[..e];
        var sign = text[e + 1] == '-' ? "-" : "+";
        var digits = text[(e + 2)..].TrimStart('0');
        return $"{mantissa}e{sign}{digits.PadLeft(2, '0')}";
    }
}
