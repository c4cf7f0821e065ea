using System.Globalization;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// Kubernetes' quantity library for CEL (as in ValidatingAdmissionPolicy): <c>quantity('1Gi')</c>,
/// <c>isQuantity(s)</c>, and the methods <c>isLessThan</c>, <c>isGreaterThan</c>, <c>compareTo</c>,
/// <c>add</c>, <c>sub</c>, <c>isInteger</c>, <c>asInteger</c>, <c>asApproximateFloat</c>, <c>sign</c>.
/// Quantities are equal when their amounts are (<c>quantity('1k') == quantity('1000')</c>).
/// </summary>
internal sealed class CelQuantity(decimal amount, string text) : CelOpaque
{
    public static readonly CelType QuantityType = CelType.Extension("kubernetes.Quantity");

    public decimal Amount { get; } = amount;

    public override CelType Type => QuantityType;

    public override bool ValueEquals(CelOpaque other) => other is CelQuantity q && q.Amount == Amount;

    public override string ToString() => text;

    private static decimal? Parse(string text)
    {
        try
        {
            return text.Length > 0 && text.Trim() == text ? Quantity.Parse(text) : null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    public static CelValue Of(CelValue v) => v.Kind switch
    {
        CelKind.String => Parse(v.AsString) is { } amount ? CelValue.Opaque(new CelQuantity(amount, v.AsString)) : CelValue.Error($"invalid quantity '{v.AsString}'"),
        CelKind.Error => v,
        _ => CelValue.NoSuchOverload("quantity"),
    };

    public static CelValue IsQuantity(CelValue v) => v.Kind == CelKind.String ? CelValue.Bool(Parse(v.AsString) is not null) : v.IsError ? v : CelValue.NoSuchOverload("isQuantity");

    /// <summary>A method on a quantity; <paramref name="other"/> is a quantity or (for add and sub) an int, or null.</summary>
    public static CelValue Method(CelValue self, CelValue other, string name)
    {
        if (self.Kind != CelKind.Opaque || self.AsOpaque is not CelQuantity q)
        {
            return self.IsError ? self : CelValue.NoSuchOverload(name);
        }
        decimal? right = other.Kind switch
        {
            CelKind.Opaque when other.AsOpaque is CelQuantity r => r.Amount,
            CelKind.Int when name is "add" or "sub" => other.AsInt,
            _ => null,
        };
        try
        {
            switch (name)
            {
                case "isInteger": return CelValue.Bool(decimal.Truncate(q.Amount) == q.Amount && q.Amount is >= long.MinValue and <= long.MaxValue);
                case "asInteger":
                    return decimal.Truncate(q.Amount) == q.Amount && q.Amount is >= long.MinValue and <= long.MaxValue
                        ? CelValue.Int((long)q.Amount) : CelValue.Error($"cannot convert quantity {q} to an int");
                case "asApproximateFloat": return CelValue.Double((double)q.Amount);
                case "sign": return CelValue.Int(Math.Sign(q.Amount));
            }
            if (right is not { } amount)
            {
                return other.IsError ? other : CelValue.NoSuchOverload(name);
            }
            return name switch
            {
                "isLessThan" => CelValue.Bool(q.Amount < amount),
                "isGreaterThan" => CelValue.Bool(q.Amount > amount),
                "compareTo" => CelValue.Int(q.Amount.CompareTo(amount)),
                "add" => Result(q.Amount + amount),
                "sub" => Result(q.Amount - amount),
                _ => CelValue.NoSuchOverload(name),
            };
        }
        catch (OverflowException)
        {
            return CelValue.Overflow;
        }
    }

    private static CelValue Result(decimal amount) => CelValue.Opaque(new CelQuantity(amount, amount.ToString(CultureInfo.InvariantCulture)));
}
