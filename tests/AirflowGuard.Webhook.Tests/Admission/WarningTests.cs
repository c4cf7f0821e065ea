using AirflowGuard.Webhook.Admission;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// A warning built already fitted (<see cref="AdmissionResponse.Warning"/>) and the whole text fitted afterwards
/// (<see cref="AdmissionResponse.FitWarnings"/>) must both read as the rule says: on one line when the text has line
/// breaks or tabs (runs of blanks and control characters become one space, none leading or trailing), then cut to
/// 120 characters ending in "…". <see cref="Expected"/> states that rule plainly, apart from the code under test.
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
        // every other message without line breaks or tabs: those are cut without folding, by another path
        string[] alphabets = ["ab c\n\t\r  é…/:x\u0001", "ab c  é…/:x\u0001"];
        for (var i = 0; i < 20_000; i++)
        {
            var alphabet = alphabets[i % 2];
            var chars = new char[random.Next(0, 200)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = alphabet[random.Next(alphabet.Length)];
            }
            var policy = new string('p', random.Next(1, 60));
            var rule = new string('r', random.Next(1, 60));
            AssertSame(policy, rule, random.Next(3) switch { 0 => ": ", 1 => " ", _ => " \n" }, new string(chars));
        }
    }

    private static void AssertSame(string policy, string rule, string separator, string message)
    {
        var expected = Expected($"{policy}/{rule}{separator}{message}");
        var built = AdmissionResponse.Warning(policy, rule, separator, message);
        Assert.Equal(expected, built);
        Assert.Equal(expected, AdmissionResponse.FitWarnings([$"{policy}/{rule}{separator}{message}"])[0]);
        Assert.Equal(built, AdmissionResponse.FitWarnings([built])[0]); // fitting again leaves it as it is
    }

    private static string Expected(string text)
    {
        if (text.IndexOfAny(['\n', '\r', '\t']) >= 0)
        {
            var words = System.Text.RegularExpressions.Regex.Split(text, @"[\p{Cc} ]+");
            text = string.Join(' ', words.Where(w => w.Length > 0));
        }
        return text.Length <= AdmissionResponse.MaxWarningLength ? text : text[..(AdmissionResponse.MaxWarningLength - 1)] + "…";
    }
}
