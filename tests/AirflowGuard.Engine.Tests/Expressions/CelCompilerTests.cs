using System.Text.Json;
using AirflowGuard.Engine.Expressions;
using AirflowGuard.Engine.Expressions.Cel;

namespace AirflowGuard.Engine.Tests.Expressions;

/// <summary>What the CEL compiler checks at load, the runtime cost limit, and the lazily read <c>object</c>.</summary>
public class CelCompilerTests
{
    private static CelValue Evaluate(string expression, string json = "{}")
    {
        var program = new CelEnvironment().Declare("object", CelStaticType.Dyn).Compile(expression);
        using var document = JsonDocument.Parse(json);
        return program.Evaluate(CelActivation.Of(CelJson.From(document.RootElement.Clone())));
    }

    private static string CompileError(string expression)
    {
        var compiled = CelExpression.Compile(expression, out var error);
        Assert.Null(compiled);
        return $"{error!.Value.Line}:{error.Value.Column} {error.Value.Message}";
    }

    [Theory]
    [InlineData("airflow.containers.all(c, c.rol == 'airflow')", "1:29 a container of the airflow view has no field \"rol\"; did you mean \"role\"?")]
    [InlineData("airflow.containers.all(c,\n  c.mounts.all(m, m.backing.clas == 'nfs'))", "2:29 a backing of the airflow view has no field \"clas\"; did you mean \"class\"?")]
    [InlineData("airflow.containers.all(c, c.image.startWith('x'))", "1:35 undeclared reference to 'startWith'; did you mean 'startsWith'?")]
    [InlineData("size(1)", "1:1 found no matching overload for 'size' applied to (int)")]
    [InlineData("1 + 'a' == 2", "1:3 found no matching overload for '_+_' applied to (int, string)")]
    [InlineData("airflow.containers.exists(c, c.name)", "1:31 found no matching overload for 'exists' applied to string (it takes bool)")]
    [InlineData("objekt.spec", "1:1 undeclared reference to 'objekt'; did you mean 'object'?")]
    [InlineData("quantity('1Gi') < quantity('2Gi')", "1:17 found no matching overload for '_<_' applied to (kubernetes.Quantity, kubernetes.Quantity)")]
    [InlineData("'abc'.matches('(')", "1:7 invalid regular expression '(': Invalid pattern '(' at offset 1. Not enough )'s.")]
    public void CheckErrors_AreFoundAtCompileTime_WithTheirPlace(string expression, string expected)
    {
        Assert.Equal(expected, CompileError(expression));
    }

    [Theory]
    [InlineData("!")]
    [InlineData("-")]
    [InlineData("(")]
    [InlineData("[")]
    public void ADeeplyNestedExpression_IsACompileError_NotACrash(string opening)
    {
        var text = string.Concat(Enumerable.Repeat(opening, 100_000)) + "1";
        Assert.Contains("nested too deeply", CompileError(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("airflow", ".kind")]
    [InlineData("1", " + 1")]
    [InlineData("[1]", "[0]")]
    public void ALongChain_IsACompileError_NotACrash(string start, string link)
    {
        var text = start + string.Concat(Enumerable.Repeat(link, 100_000));
        Assert.Contains("nested too deeply", CompileError(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" || ", "false", "true", true)]
    [InlineData(" && ", "true", "false", false)]
    public void ALongLogicChain_RunsAsOneLoop_AndStopsAtTheOperandThatDecides(string op, string filler, string decisive, bool expected)
    {
        // ((a || b) || c) …: 100,000 operands would nest as deep as they are long if each operator were its own call
        var text = string.Join(op, Enumerable.Repeat(filler, 100_000).Append(decisive));
        Assert.Equal(expected, Evaluate(text).AsBool);
    }

    [Theory]
    // one operand decides alone, whatever comes before or after it, errors included
    [InlineData("object.missing || false || true", "true")]
    [InlineData("false || object.missing || true", "true")]
    [InlineData("object.missing && true && false", "false")]
    // no operand decides: the first that is not a bool, in order, is the answer
    [InlineData("false || object.missing || object.other", "error: no such key: missing")]
    [InlineData("false || false || object.n", "error: no such overload: _||_")]
    [InlineData("object.n && object.missing && true", "error: no such overload: _&&_")]
    [InlineData("true && true && object.other", "error: no such key: other")]
    [InlineData("false || false || false", "false")]
    [InlineData("true && true && true", "true")]
    public void ALogicChain_AbsorbsErrors_AsCelDoes(string expression, string expected)
    {
        var result = Evaluate(expression, """{"n": 1}""");
        Assert.Equal(expected, result.IsError ? $"error: {result.ErrorMessage}" : result.AsBool ? "true" : "false");
    }

    [Fact]
    public void ARunawayExpression_IsRefusedByTheStaticCostEstimate()
    {
        var error = CompileError("object.a.all(x, object.a.all(y, object.a.all(z, object.a.all(w, true))))");
        Assert.Contains("estimated cost", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ARunawayExpression_StopsAtTheRuntimeIterationLimit()
    {
        var items = string.Join(",", Enumerable.Range(0, 2000));
        var result = Evaluate("object.items.all(a, object.items.all(b, a >= 0))", $$"""{"items": [{{items}}]}""");
        Assert.True(result.IsError);
        Assert.Contains("cost limit exceeded", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has(object.spec.template) && object.spec.template.spec.terminationGracePeriodSeconds >= 600", true)]
    [InlineData("object.spec.template.spec.containers.exists(c, c.name == 'worker')", true)]
    [InlineData("object.spec.template.spec.containers.map(c, c.name).join(',') == 'worker,istio'", true)]
    [InlineData("has(object.spec.replicas)", false)]
    [InlineData("object.spec.template.spec.terminationGracePeriodSeconds == 600.0 && 600u == 600", true)]
    [InlineData("false && object.spec.missing.field", false)]
    [InlineData("object.spec.missing.field || true", true)]
    public void TheRawObject_IsReadFromTheJson(string expression, bool expected)
    {
        const string Json = """{"spec": {"template": {"spec": {"terminationGracePeriodSeconds": 600, "containers": [{"name": "worker"}, {"name": "istio"}]}}}}""";
        var result = Evaluate(expression, Json);
        Assert.Equal(CelKind.Bool, result.Kind);
        Assert.Equal(expected, result.AsBool);
    }

    [Fact]
    public void AMissingKey_IsAnEvaluationError_NotAnException()
    {
        var result = Evaluate("object.spec.nodeSelector.zone == 'a'", """{"spec": {}}""");
        Assert.Equal("no such key: nodeSelector", result.ErrorMessage);
    }

    [Theory]
    [InlineData("'AIRFLOW__CORE'.lowerAscii().split('__') == ['airflow', 'core']")]
    [InlineData("'s3://bucket/logs'.indexOf('/', 5) == 11 && 'abc'.substring(1) == 'bc' && ' x '.trim() == 'x'")]
    [InlineData("['a', 'b'].join('-') == 'a-b' && 'a.b.c'.replace('.', '/', 1) == 'a/b.c'")]
    [InlineData("'Ünïcode'.size() == 7 && 'Ünïcode'.charAt(2) == 'ï'")]
    [InlineData("'false'.matches('^(?i:false|0)$') && !'True'.matches('^(?i:false|0)$')")]
    [InlineData("type(1) == int && type('') == string && dyn(1) == 1.0 && 1 in [1u, 2u] && 'k' in {'k': 1}")]
    [InlineData("timestamp('2024-01-01T00:00:00Z') + duration('1h30m') == timestamp('2024-01-01T03:30:00+02:00') && duration('90m').getHours() == 1")]
    [InlineData("quantity('1Gi').isGreaterThan(quantity('512Mi')) && quantity('1k') == quantity('1000') && quantity('1500m').asApproximateFloat() == 1.5")]
    [InlineData("quantity('2Gi').add(quantity('1Gi')).compareTo(quantity('3Gi')) == 0 && !isQuantity('1Gx') && type(quantity('1')) != string")]
    [InlineData("timestamp('2024-03-01T12:00:00Z').getDayOfWeek() == 5 && string(timestamp(1700000000)) == '2023-11-14T22:13:20Z'")]
    public void KubernetesStringExtensions_AndStandardFunctions_Work(string expression)
    {
        var result = Evaluate(expression);
        Assert.True(result.Kind == CelKind.Bool && result.AsBool, result.Display());
    }
}
