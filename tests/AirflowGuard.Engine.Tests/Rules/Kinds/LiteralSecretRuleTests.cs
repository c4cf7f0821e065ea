using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>forbidLiteralSecrets: secrets as literal env values (seed 004), named without ever showing the value.</summary>
public class LiteralSecretRuleTests
{
    [Fact]
    public void AConnectionStringWithAPassword_IsAViolation_ThatNeverShowsTheValue()
    {
        var policy = Policy("{ name: no-literal-secrets, forbidLiteralSecrets: {} }");
        var bundle = Support.Bundle.Seed("004-host-path-dags-unsafe.yaml");
        var pod = bundle.Pod("Pod", "samplek8stesttask001-a3149539979d4f10aee024c4a09e09f6");
        var value = pod.Containers[0].FindEnv("SQL_ALCHEMY_CONN")!.Value!;

        var finding = Assert.Single(Findings(policy, "004-host-path-dags-unsafe.yaml", "Pod", "samplek8stesttask001-a3149539979d4f10aee024c4a09e09f6"));

        Assert.Contains("env SQL_ALCHEMY_CONN in container base holds a secret as a literal value", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, finding.Message + finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSafeTwin_TakesItFromASecret_AndIsLeftAlone()
    {
        var policy = Policy("{ name: no-literal-secrets, forbidLiteralSecrets: {} }");

        Assert.Empty(Findings(policy, "004-host-path-dags-safe.yaml", "Pod", "samplek8stesttask001-a3149539979d4f10aee024c4a09e09f6"));
    }

    [Fact]
    public void OwnPatterns_ReplaceTheDefaults()
    {
        var policy = Policy("{ name: only-mine, forbidLiteralSecrets: { env: [{ name: \"MY_TOKEN\" }] } }");

        Assert.Empty(Findings(policy, "004-host-path-dags-unsafe.yaml", "Pod", "samplek8stesttask001-a3149539979d4f10aee024c4a09e09f6"));
    }

    [Fact]
    public void Rejects_AWrongCondition()
    {
        var problem = Assert.Single(Errors("{ name: r, forbidLiteralSecrets: { env: [{ name: X, when: sometimes }] } }"));

        Assert.Contains("when must be always or credentials", problem.Message, StringComparison.Ordinal);
    }
}
