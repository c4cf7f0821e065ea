using System.Xml.Linq;

namespace AirflowGuard.Cli.Tests;

/// <summary>check --output junit: one test case per checked object, failed when it breaks an enforced rule.</summary>
public class JunitReportTests
{
    [Fact]
    public void Junit_ParsesAndFailsTheDeniedObject()
    {
        var (_, output, _) = Run("check", Seed("004-host-path-dags-unsafe.yaml"), "--output", "junit");

        var suite = XDocument.Parse(output).Root!.Element("testsuite")!;
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        var failures = suite.Elements("testcase").SelectMany(t => t.Elements("failure")).ToList();
        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.Attribute("type")!.Value == "no-literal-secrets/secrets-from-secret-objects");
    }

    private static string Seed(string name) => Path.Combine("examples", "seeds", name);

    private static (int Code, string Output, string Error) Run(params string[] args) => Cli.Run(args);
}
