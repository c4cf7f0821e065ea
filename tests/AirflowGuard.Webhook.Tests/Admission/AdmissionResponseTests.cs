using System.Text;
using System.Text.Json;
using AirflowGuard.Webhook.Admission;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// The AdmissionReview answer is JSON for the API server: every text in it must read back exactly as written (the
/// API server decodes it), with only what JSON requires escaped. Text beyond ASCII and the characters an HTML-safe
/// encoder would escape (<c>' + &lt; &gt; &amp;</c>) are written as they are.
/// </summary>
public class AdmissionResponseTests
{
    private const string Tricky = "it's \"quoted\", a back\\slash, a tab\tand \u0001, <b>&</b> + é, cut here…";

    [Fact]
    public void Denial_and_warnings_read_back_exactly_as_written()
    {
        var answer = new AdmissionAnswer
        {
            Allowed = false,
            DenialMessage = "denied: " + Tricky,
            Warnings = ["policy/rule: " + Tricky, "second…", ""],
        };

        var bytes = AdmissionResponse.Write("uid-1", answer);

        using var document = JsonDocument.Parse(bytes); // strict: a byte the writer got wrong is an exception here
        var response = document.RootElement.GetProperty("response");
        Assert.Equal("uid-1", response.GetProperty("uid").GetString());
        Assert.False(response.GetProperty("allowed").GetBoolean());
        Assert.Equal(403, response.GetProperty("status").GetProperty("code").GetInt32());
        Assert.Equal("denied: " + Tricky, response.GetProperty("status").GetProperty("message").GetString());
        Assert.Equal(answer.Warnings, response.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray());
    }

    [Fact]
    public void Only_what_JSON_requires_is_escaped()
    {
        var text = Encoding.UTF8.GetString(AdmissionResponse.Write("u", new AdmissionAnswer { Allowed = true, Warnings = [Tricky] }));

        // as written: the apostrophe, the HTML characters, é and the ellipsis (the default encoder spells them \u0027, \u003C, \u2026 …)
        Assert.Contains("it's", text, StringComparison.Ordinal);
        Assert.Contains("<b>&</b> + é, cut here…", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text.Replace("\\u0001", "", StringComparison.Ordinal), StringComparison.Ordinal);
        // escaped, as JSON requires: quotes, the backslash, control characters
        Assert.Contains("\\\"quoted\\\"", text, StringComparison.Ordinal);
        Assert.Contains("back\\\\slash", text, StringComparison.Ordinal);
        Assert.Contains("a tab\\tand \\u0001", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_is_escaped_as_the_answers_are()
    {
        var bytes = Problem.Write(400, "bad request", "detail: " + Tricky, path: "request.object.metadata.labels['a…']");

        using var document = JsonDocument.Parse(bytes);
        Assert.Equal("detail: " + Tricky, document.RootElement.GetProperty("detail").GetString());
        Assert.Equal("request.object.metadata.labels['a…']", document.RootElement.GetProperty("path").GetString());
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("<b>&</b> + é, cut here…", text, StringComparison.Ordinal);
        Assert.Contains("labels['a…']", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_patch_reads_back_as_its_bytes()
    {
        var patch = Encoding.UTF8.GetBytes("""[{"op":"add","path":"/metadata/labels/a","value":"é…"}]""");

        var bytes = AdmissionResponse.Write("u", new AdmissionAnswer { Allowed = true, Patch = patch });

        using var document = JsonDocument.Parse(bytes);
        var response = document.RootElement.GetProperty("response");
        Assert.Equal("JSONPatch", response.GetProperty("patchType").GetString());
        Assert.Equal(patch, response.GetProperty("patch").GetBytesFromBase64());
    }
}
