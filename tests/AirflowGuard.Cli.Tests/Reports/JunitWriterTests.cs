using System.Xml.Linq;
using AirflowGuard.Reports;

namespace AirflowGuard.Cli.Tests;

/// <summary>The one JUnit writer behind check and test: well-formed XML whatever the text, attributes written only when they say something.</summary>
public class JunitWriterTests
{
    [Fact]
    public void Writes_SuitesCasesFailuresAndOutput_EscapingWhatXmlCannotHoldAsIs()
    {
        using var output = new StringWriter();
        var failure = new JunitFailure("p/r", "a < b & \"c\"", "a < b & \"c\"\nfix: ]]> is fine");

        JunitWriter.Write([new JunitSuite("s", [new JunitCase("file.yaml", "Pod a/b (line 3)", [failure], "note p/r: <x>"), new JunitCase("file.yaml", "Pod a/c", [])], 1) { Errors = 0 }], output);

        var suite = XDocument.Parse(output.ToString()).Root!.Element("testsuite")!;
        Assert.Equal(("s", "2", "1", "0"), ((string)suite.Attribute("name")!, (string)suite.Attribute("tests")!, (string)suite.Attribute("failures")!, (string)suite.Attribute("errors")!));
        var cases = suite.Elements("testcase").ToList();
        var written = cases[0].Element("failure")!;
        Assert.Equal(("p/r", "a < b & \"c\""), ((string)written.Attribute("type")!, (string)written.Attribute("message")!));
        Assert.Equal("a < b & \"c\"\nfix: ]]> is fine", written.Value);
        Assert.Equal("note p/r: <x>", cases[0].Element("system-out")!.Value);
        Assert.Empty(cases[1].Elements());
    }

    [Fact]
    public void OmitsTheErrorsAttributeAndTheFailureType_WhenTheyAreNotGiven()
    {
        using var output = new StringWriter();

        JunitWriter.Write([new JunitSuite("t", [new JunitCase("t.yaml", "x", [new JunitFailure(null, "m", "m")])], 1)], output);

        var suite = XDocument.Parse(output.ToString()).Root!.Element("testsuite")!;
        Assert.Null(suite.Attribute("errors"));
        Assert.Null(suite.Element("testcase")!.Element("failure")!.Attribute("type"));
    }

    [Fact]
    public void CheckAndTest_BothWriteThroughIt()
    {
        var check = Cli.Run("check", Path.Combine("examples", "seeds", "000-oss-logs-unsafe.yaml"), "--output", "junit");
        var test = Cli.Run("test", Path.Combine("policies", "tests"), "--output", "junit");

        Assert.Equal("airflowguard check", (string)XDocument.Parse(check.Output).Root!.Element("testsuite")!.Attribute("name")!);
        Assert.NotEmpty(XDocument.Parse(test.Output).Root!.Elements("testsuite"));
    }
}
