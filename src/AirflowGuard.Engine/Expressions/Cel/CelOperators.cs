namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// CEL's operators on values: heterogeneous numeric equality and ordering, int64 and uint64 arithmetic
/// that reports overflow as an error, concatenation, index and <c>in</c>.
/// </summary>
internal static class CelOperators
{
    /// <summary><c>a == b</c>: values of different kinds are unequal (numbers compare by value); errors propagate.</summary>
    public static CelValue Equal(in CelValue a, in CelValue b)
    {
        if (a.IsError)
        {
            return a;
        }
        return b.IsError ? b : CelValue.Bool(AreEqual(a, b));
    }

    public static bool AreEqual(in CelValue a, in CelValue b)
    {
        if (a.Kind == b.Kind)
        {
            switch (a.Kind)
            {
                case CelKind.Null: return true;
                case CelKind.Bool:
                case CelKind.Int:
                case CelKind.Uint: return a.AsInt == b.AsInt;
                case CelKind.Double: return a.AsDouble == b.AsDouble;
                case CelKind.String: return string.Equals(a.AsString, b.AsString, StringComparison.Ordinal);
                case CelKind.Bytes: return a.AsBytes.AsSpan().SequenceEqual(b.AsBytes);
                case CelKind.Type: return a.AsType.Name == b.AsType.Name;
                case CelKind.Timestamp or CelKind.Duration: return a.AsNanos == b.AsNanos;
                case CelKind.Opaque: return a.AsOpaque.ValueEquals(b.AsOpaque);
                case CelKind.List: return ListsEqual(a.AsList, b.AsList);
                case CelKind.Map: return MapsEqual(a.AsMap, b.AsMap);
                default: return false;
            }
        }
        return IsNumber(a) && IsNumber(b) && CompareNumbers(a, b) == 0;
    }

    private static bool ListsEqual(CelList a, CelList b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (!AreEqual(a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static bool MapsEqual(CelMap a, CelMap b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        foreach (var key in a.Keys())
        {
            if (!a.TryGet(key, out var left) || !b.TryGet(key, out var right) || !AreEqual(left, right))
            {
                return false;
            }
        }
        return true;
    }

    public static bool IsNumber(in CelValue v) => v.Kind is CelKind.Int or CelKind.Uint or CelKind.Double;

    /// <summary>-1, 0 or 1 comparing two numbers of any numeric kinds by value; 2 when one is NaN.</summary>
    public static int CompareNumbers(in CelValue a, in CelValue b)
    {
        switch (a.Kind, b.Kind)
        {
            case (CelKind.Int, CelKind.Int): return a.AsInt.CompareTo(b.AsInt);
            case (CelKind.Uint, CelKind.Uint): return a.AsUint.CompareTo(b.AsUint);
            case (CelKind.Double, CelKind.Double):
                return double.IsNaN(a.AsDouble) || double.IsNaN(b.AsDouble) ? 2 : a.AsDouble.CompareTo(b.AsDouble);
            case (CelKind.Int, CelKind.Uint): return a.AsInt < 0 ? -1 : ((ulong)a.AsInt).CompareTo(b.AsUint);
            case (CelKind.Uint, CelKind.Int): return b.AsInt < 0 ? 1 : a.AsUint.CompareTo((ulong)b.AsInt);
            case (CelKind.Int, CelKind.Double): return CompareIntDouble(a.AsInt, b.AsDouble);
            case (CelKind.Double, CelKind.Int): return -Flip(CompareIntDouble(b.AsInt, a.AsDouble));
            case (CelKind.Uint, CelKind.Double): return CompareUintDouble(a.AsUint, b.AsDouble);
            default: return -Flip(CompareUintDouble(b.AsUint, a.AsDouble));
        }
    }

    private static int Flip(int c) => c == 2 ? -2 : c;

    // an int or uint compared with a double is converted to double, as cel-spec's comparisons require
    private static int CompareIntDouble(long i, double d) => double.IsNaN(d) ? 2 : ((double)i).CompareTo(d);

    private static int CompareUintDouble(ulong u, double d) => double.IsNaN(d) ? 2 : ((double)u).CompareTo(d);

    /// <summary>The ordering operators: numbers across kinds, strings, bytes and bools; an error for others.</summary>
    public static CelValue Compare(in CelValue a, in CelValue b, string op)
    {
        if (a.IsError)
        {
            return a;
        }
        if (b.IsError)
        {
            return b;
        }
        int c;
        if (IsNumber(a) && IsNumber(b))
        {
            c = CompareNumbers(a, b);
            if (c is 2 or -2)
            {
                return CelValue.False;
            }
        }
        else if (a.Kind != b.Kind)
        {
            return CelValue.NoSuchOverload(op);
        }
        else
        {
            switch (a.Kind)
            {
                case CelKind.String: c = Math.Sign(string.CompareOrdinal(a.AsString, b.AsString)); break;
                case CelKind.Bytes: c = Math.Sign(a.AsBytes.AsSpan().SequenceCompareTo(b.AsBytes)); break;
                case CelKind.Bool: c = a.AsBool.CompareTo(b.AsBool); break;
                case CelKind.Timestamp or CelKind.Duration: c = a.AsNanos.CompareTo(b.AsNanos); break;
                default: return CelValue.NoSuchOverload(op);
            }
        }
        return CelValue.Bool(op switch
        {
            "_<_" => c < 0,
            "_<=_" => c <= 0,
            "_>_" => c > 0,
            _ => c >= 0,
        });
    }

    public static CelValue Add(in CelValue a, in CelValue b)
    {
        if (a.IsError)
        {
            return a;
        }
        if (b.IsError)
        {
            return b;
        }
        switch (a.Kind, b.Kind)
        {
            case (CelKind.Timestamp, CelKind.Duration): return CelValue.Timestamp(a.AsNanos + b.AsNanos);
            case (CelKind.Duration, CelKind.Timestamp): return CelValue.Timestamp(a.AsNanos + b.AsNanos);
            case (CelKind.Duration, CelKind.Duration): return CelValue.Duration(a.AsNanos + b.AsNanos);
        }
        if (a.Kind != b.Kind)
        {
            return CelValue.NoSuchOverload("_+_");
        }
        switch (a.Kind)
        {
            case CelKind.Int:
                var sum = unchecked(a.AsInt + b.AsInt);
                return ((a.AsInt ^ sum) & (b.AsInt ^ sum)) < 0 ? CelValue.Overflow : CelValue.Int(sum);
            case CelKind.Uint:
                var usum = unchecked(a.AsUint + b.AsUint);
                return usum < a.AsUint ? CelValue.Overflow : CelValue.Uint(usum);
            case CelKind.Double: return CelValue.Double(a.AsDouble + b.AsDouble);
            case CelKind.String: return CelValue.String(string.Concat(a.AsString, b.AsString));
            case CelKind.Bytes: return CelValue.Bytes([.. a.AsBytes, .. b.AsBytes]);
            case CelKind.List: return CelValue.List(Concat(a.AsList, b.AsList));
            default: return CelValue.NoSuchOverload("_+_");
        }
    }

    private static CelList Concat(CelList a, CelList b)
    {
        if (a.Count == 0)
        {
            return b;
        }
        if (b.Count == 0)
        {
            return a;
        }
        var items = new CelValue[a.Count + b.Count];
        for (var i = 0; i < a.Count; i++)
        {
            items[i] = a[i];
        }
        for (var i = 0; i < b.Count; i++)
        {
            items[a.Count + i] = b[i];
        }
        return CelList.Of(items);
    }

    public static CelValue Arithmetic(in CelValue a, in CelValue b, char op)
    {
        if (a.IsError)
        {
            return a;
        }
        if (b.IsError)
        {
            return b;
        }
        var name = op switch { '-' => "_-_", '*' => "_*_", '/' => "_/_", _ => "_%_" };
        if (op == '-')
        {
            switch (a.Kind, b.Kind)
            {
                case (CelKind.Timestamp, CelKind.Duration): return CelValue.Timestamp(a.AsNanos - b.AsNanos);
                case (CelKind.Timestamp, CelKind.Timestamp):
                    // as cel-go and the conformance tests: the difference must fit int64 nanoseconds (±292 years)
                    var difference = a.AsNanos - b.AsNanos;
                    return difference > long.MaxValue || difference < long.MinValue ? CelValue.Error("duration out of range") : CelValue.Duration(difference);
                case (CelKind.Duration, CelKind.Duration): return CelValue.Duration(a.AsNanos - b.AsNanos);
            }
        }
        if (a.Kind != b.Kind)
        {
            return CelValue.NoSuchOverload(name);
        }
        switch (a.Kind)
        {
            case CelKind.Int:
                long x = a.AsInt, y = b.AsInt;
                switch (op)
                {
                    case '-':
                        var d = unchecked(x - y);
                        return ((x ^ y) & (x ^ d)) < 0 ? CelValue.Overflow : CelValue.Int(d);
                    case '*':
                        var p = Math.BigMul(x, y, out var low);
                        return (p == 0 && low >= 0) || (p == -1 && low < 0) ? CelValue.Int(low) : CelValue.Overflow;
                    case '/':
                        return y == 0 ? CelValue.Error("divide by zero") : x == long.MinValue && y == -1 ? CelValue.Overflow : CelValue.Int(x / y);
                    default:
                        return y == 0 ? CelValue.Error("modulus by zero") : x == long.MinValue && y == -1 ? CelValue.Overflow : CelValue.Int(x % y);
                }
            case CelKind.Uint:
                ulong ux = a.AsUint, uy = b.AsUint;
                switch (op)
                {
                    case '-': return uy > ux ? CelValue.Overflow : CelValue.Uint(ux - uy);
                    case '*':
                        var high = Math.BigMul(ux, uy, out var ulow);
                        return high != 0 ? CelValue.Overflow : CelValue.Uint(ulow);
                    case '/': return uy == 0 ? CelValue.Error("divide by zero") : CelValue.Uint(ux / uy);
                    default: return uy == 0 ? CelValue.Error("modulus by zero") : CelValue.Uint(ux % uy);
                }
            case CelKind.Double:
                double dx = a.AsDouble, dy = b.AsDouble;
                return op switch
                {
                    '-' => CelValue.Double(dx - dy),
                    '*' => CelValue.Double(dx * dy),
                    '/' => CelValue.Double(dx / dy),
                    _ => CelValue.NoSuchOverload(name),
                };
            default:
                return CelValue.NoSuchOverload(name);
        }
    }

    public static CelValue Negate(in CelValue a) => a.Kind switch
    {
        CelKind.Error => a,
        CelKind.Int => a.AsInt == long.MinValue ? CelValue.Overflow : CelValue.Int(-a.AsInt),
        CelKind.Double => CelValue.Double(-a.AsDouble),
        CelKind.Duration => CelValue.Duration(-a.AsNanos),
        _ => CelValue.NoSuchOverload("-_"),
    };

    public static CelValue Not(in CelValue a) => a.Kind switch
    {
        CelKind.Error => a,
        CelKind.Bool => CelValue.Bool(!a.AsBool),
        _ => CelValue.NoSuchOverload("!_"),
    };

    /// <summary><c>a[b]</c> on lists (int, uint or integral double index) and maps.</summary>
    public static CelValue Index(in CelValue a, in CelValue b)
    {
        if (a.IsError)
        {
            return a;
        }
        if (b.IsError)
        {
            return b;
        }
        if (a.Kind == CelKind.Map)
        {
            if (!CelMapLiteral.IsValidKey(b) && b.Kind != CelKind.Double)
            {
                return CelValue.NoSuchOverload("_[_]");
            }
            return a.AsMap.TryGet(b, out var value) ? value : CelValue.NoSuchKey(b);
        }
        if (a.Kind != CelKind.List)
        {
            return CelValue.NoSuchOverload("_[_]");
        }
        var list = a.AsList;
        long index;
        switch (b.Kind)
        {
            case CelKind.Int: index = b.AsInt; break;
            case CelKind.Uint: index = b.AsUint > int.MaxValue ? long.MaxValue : (long)b.AsUint; break;
            case CelKind.Double when Math.Floor(b.AsDouble) == b.AsDouble && Math.Abs(b.AsDouble) < 1e18: index = (long)b.AsDouble; break;
            case CelKind.Double: return CelValue.Error($"invalid_argument: index {b.Display()} is not an integer");
            default: return CelValue.NoSuchOverload("_[_]");
        }
        return index < 0 || index >= list.Count ? CelValue.Error($"index out of range: {index}") : list[(int)index];
    }

    /// <summary><c>a in b</c>: an element of a list (CEL equality), a key of a map.</summary>
    public static CelValue In(in CelValue a, in CelValue b)
    {
        if (a.IsError)
        {
            return a;
        }
        if (b.IsError)
        {
            return b;
        }
        if (b.Kind == CelKind.List)
        {
            var list = b.AsList;
            for (var i = 0; i < list.Count; i++)
            {
                if (AreEqual(a, list[i]))
                {
                    return CelValue.True;
                }
            }
            return CelValue.False;
        }
        if (b.Kind == CelKind.Map)
        {
            return CelValue.Bool((CelMapLiteral.IsValidKey(a) || a.Kind == CelKind.Double) && b.AsMap.TryGet(a, out _));
        }
        return CelValue.NoSuchOverload("@in");
    }
}
