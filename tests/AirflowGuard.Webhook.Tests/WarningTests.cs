using AirflowGuard.Webhook.Admission;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// A warning built already fitted must read exactly as the whole text would after <see cref="AdmissionResponse.FitWarnings"/>:
/// the API server shows users one or the other, so they must never differ.
/// </summary>
public class WarningTests
{
    [Theory]
    [InlineData("short message")]
    [InlineData("")]
    [InlineData("two  spaces kept when the text has no line breaks and is long enough to be cut somewhere after the first hundred and twenty characters")]
    [InlineData("line one\nline two\twith a tab\r\nand a long tail that takes the warning past the API server's limit of one hundred and twenty characters")]
    [InlineData("  leading blanks\n and trailing ones  \n")]
    [InlineData("exactly at the limit xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public void Reads_as_the_fitted_whole_text(string message)
    {
        foreach (var separator in new[] { ": ", " not checked: ", " " })
        {
            AssertSame("airflow-logs", "logs-not-on-object-storage", separator, message);
        }
    }

    [Fact]
    public void Reads_as_the_fitted_whole_text_for_random_messages()
    {
        var random = new Random(13);
        const string alphabet = "ab c\n\t\r  é…/:x\u0001";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 200)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = alphabet[random.Next(alphabet.Length)];
            }
            var policy = new string('p', random.Next(1, 60));
            var rule = new string('r', random.Next(1, 60));
            AssertSame(policy, rule, random.Next(2) == 0 ? ": " : " \n", new string(chars));
        }
    }

    private static void AssertSame(string policy, string rule, string separator, string message)
    {
        var whole = AdmissionResponse.FitWarnings([$"{policy}/{rule}{separator}{message}"])[0];
        var built = AdmissionResponse.Warning(policy, rule, separator, message);
        Assert.Equal(whole, built);
        Assert.Equal(built, AdmissionResponse.FitWarnings([built])[0]); // fitting again leaves it as it is
    }
}
