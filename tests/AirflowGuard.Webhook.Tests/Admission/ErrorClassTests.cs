using System.Net;
using System.Text;
using AirflowGuard.Webhook.Tests.Support;

namespace AirflowGuard.Webhook.Tests;

/// <summary>Each class of broken input gets a 4xx that says what and where, and is counted; none gets a 500.</summary>
public class ErrorClassTests(BundledWebhookFixture fixture) : IClassFixture<BundledWebhookFixture>
{
    private const string Head = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{";

    private RunningWebhook Webhook => fixture.Webhook;

    // where: the path the answer names. Most of these strings are read for their text, and decoding them fails; userInfo's
    // is not read at all, so only the escapes the pass noted lead to it
    public static TheoryData<string, string> BadStrings => new()
    {
        { "request.uid", "\"uid\":\"\\ud800\",\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Pod\"},\"object\":{\"kind\":\"Pod\"}" },
        { "request.kind.kind", "\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Po\\udc00d\"},\"object\":{\"kind\":\"Pod\"}" },
        { "request.namespace", "\"uid\":\"u\",\"operation\":\"CREATE\",\"namespace\":\"a\\ud800\",\"kind\":{\"kind\":\"Pod\"},\"object\":{\"kind\":\"Pod\"}" },
        { "request.object.spec.containers[0].name", "\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Pod\"},\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\\ud800\",\"image\":\"i\"}]}}" },
        { "request.object.metadata.labels (a property name)", "\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Pod\"},\"object\":{\"kind\":\"Pod\",\"metadata\":{\"labels\":{\"a\\udfff\":\"b\"}}}" },
        { "request.userInfo.username", "\"uid\":\"u\",\"operation\":\"CREATE\",\"userInfo\":{\"username\":\"x\\udbff\"},\"kind\":{\"kind\":\"Pod\"},\"object\":{\"kind\":\"Pod\"}" },
        { "request.object.spec.template.spec.containers[0].image", "\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Deployment\"},\"object\":{\"kind\":\"Deployment\",\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\\ud800\\u0041\"}]}}}}" },
        { "request.uid", "\"uid\":\"\\ud83d\\ud83d\",\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Pod\"},\"object\":{\"kind\":\"Pod\"}" }, // two highs: no pair
    };

    [Theory]
    [InlineData(0)] // headers and body in one write
    [InlineData(1)] // the body arrives after the headers
    [InlineData(3)] // and in three parts
    public async Task Review_ArrivingInPieces_IsReadWhole(int parts)
    {
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "scheduler-review.json"));
        var request = RawHttps.Post("/validate", body);
        var bodyStart = request.Length - body.Length;
        int[] pieces = parts switch
        {
            0 => [],
            1 => [bodyStart],
            _ => [bodyStart, bodyStart + (body.Length / 3), bodyStart + (2 * body.Length / 3)],
        };

        var (status, text) = await RawHttps.SendAsync(Webhook.Address, request, pieces: pieces);

        Assert.True(status == 200, text);
        Assert.Contains("\"allowed\":true", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_OverHttp2_InPieces_IsReadWhole()
    {
        // curl and Go clients (the API server's among them) speak HTTP/2 when offered it; a body sent in several
        // DATA frames reaches the webhook as several segments
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "scheduler-review.json"));
        var client = Webhook.Client(HttpVersion.Version20);
        for (var i = 0; i < 3; i++)
        {
            using var content = new PiecewiseContent(body, pieces: 3);
            using var response = await client.PostAsync(new Uri("/validate", UriKind.Relative), content);
            var text = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            Assert.Contains("\"allowed\":true", text, StringComparison.Ordinal);
        }
    }

    /// <summary>A body of known length written in pieces, flushed and paused between them.</summary>
    private sealed class PiecewiseContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly int _pieces;

        public PiecewiseContent(byte[] body, int pieces)
        {
            (_body, _pieces) = (body, pieces);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var size = (_body.Length + _pieces - 1) / _pieces;
            for (var start = 0; start < _body.Length; start += size)
            {
                await stream.WriteAsync(_body.AsMemory(start, Math.Min(size, _body.Length - start)));
                await stream.FlushAsync();
                await Task.Delay(50);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }

    [Theory]
    [MemberData(nameof(BadStrings))]
    public async Task LoneSurrogate_InAnyString_Is400BadString_NamingWhere(string where, string request)
    {
        var (status, text) = await RawHttps.SendAsync(Webhook.Address, RawHttps.Post("/validate", Encoding.UTF8.GetBytes(Head + request + "}}")));

        Assert.True(status == 400, $"{where}: {text}");
        Assert.Contains("problems/bad-string", text, StringComparison.Ordinal);
        Assert.Contains($"a string at {where} is not valid Unicode", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/validate")]
    [InlineData("/mutate")]
    public async Task SurrogatePairs_AreText_AndTheReviewIsAnswered(string endpoint)
    {
        // an emoji written as its escaped UTF-16 pair, in a container's name (read for its text) and in userInfo (not read)
        var request = "\"uid\":\"pair\",\"operation\":\"CREATE\",\"userInfo\":{\"username\":\"\\ud83d\\ude00\"},\"kind\":{\"kind\":\"Pod\"}," +
            "\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\\uD83D\\uDE00\",\"image\":\"busybox\"}]}}";

        var (status, text) = await RawHttps.SendAsync(Webhook.Address, RawHttps.Post(endpoint, Encoding.UTF8.GetBytes(Head + request + "}}")));

        Assert.True(status == 200, text);
        Assert.Contains("\"uid\":\"pair\"", text, StringComparison.Ordinal);
        Assert.Contains("\"allowed\":true", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoneSurrogate_InABodyThatIsNotJson_IsSaidToBeNotJson_WithWhere()
    {
        // the reader meets the lone surrogate first (the uid is read for its text); what follows is not JSON, and that is said first
        var body = Encoding.UTF8.GetBytes(Head + "\"uid\":\"\\ud800\",\"operation\":}");

        var (status, text) = await RawHttps.SendAsync(Webhook.Address, RawHttps.Post("/validate", body));

        Assert.True(status == 400, text);
        Assert.Contains("problems/not-json", text, StringComparison.Ordinal);
        Assert.Contains("not valid JSON at line 1", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uid")]
    [InlineData("namespace")]
    [InlineData("name")]
    public async Task InvalidUtf8_InAnyString_Is400BadString(string field)
    {
        var body = WithInvalidUtf8(Head + $"\"{field}\":\"ab__cd\",\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{{\"kind\":\"Pod\"}},\"object\":{{\"kind\":\"Pod\"}}}}}}");

        var (status, text) = await RawHttps.SendAsync(Webhook.Address, RawHttps.Post("/mutate", body));

        Assert.True(status == 400, text);
        Assert.Contains("problems/bad-string", text, StringComparison.Ordinal);
        Assert.Contains($"request.{field}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidUtf8_InABodyThatIsNotJson_IsSaidToBeNotJson_WithWhere()
    {
        var body = WithInvalidUtf8(Head + "\"uid\":\"ab__cd\",\"operation\":"); // cut before its value

        var (status, text) = await RawHttps.SendAsync(Webhook.Address, RawHttps.Post("/validate", body));

        Assert.True(status == 400, text);
        Assert.Contains("problems/not-json", text, StringComparison.Ordinal);
        Assert.Contains("not valid JSON at line 1", text, StringComparison.Ordinal);
    }

    /// <summary>The text as UTF-8, its first "__" made a lead byte followed by no continuation byte.</summary>
    private static byte[] WithInvalidUtf8(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var at = Array.IndexOf(body, (byte)'_');
        body[at] = 0xC3;
        body[at + 1] = 0x28;
        return body;
    }

    [Theory]
    [InlineData("FFFFFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n")]
    [InlineData("7fffffffffffffff\r\n{}\r\n0\r\n\r\n")]
    [InlineData("zz\r\n{}\r\n0\r\n\r\n")]
    [InlineData("2\r\n{}XX0\r\n\r\n")]
    public async Task ChunkedFramingError_Is400_AndCounted(string framed)
    {
        var (status, text) = await RawHttps.SendAsync(Webhook.Address, RawHttps.Chunked("/validate", framed));

        Assert.True(status is >= 400 and < 500, text + Webhook.Logs.All);
        Assert.Contains("reason=\"bad-http\"", await Webhook.MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonObjectVolumeClaimTemplates_AreNot5xx_AndLoggedOnOneLineNamingTheUid()
    {
        var review = Head + "\"uid\":\"uid-vct\",\"operation\":\"CREATE\",\"namespace\":\"airflow\",\"kind\":{\"group\":\"apps\",\"kind\":\"StatefulSet\"}," +
            "\"object\":{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"airflow-worker\",\"labels\":{\"component\":\"worker\"}}," +
            "\"spec\":{\"volumeClaimTemplates\":[5,\"x\",null,[]],\"template\":{\"metadata\":{\"labels\":{\"component\":\"worker\"}},\"spec\":{\"containers\":[{\"name\":\"worker\",\"image\":\"apache/airflow\"," +
            "\"volumeMounts\":[{\"name\":\"logs\",\"mountPath\":\"/opt/airflow/logs\"}]}]}}}}}}";

        var (status, text) = await RawHttps.SendAsync(Webhook.Address, RawHttps.Post("/validate", Encoding.UTF8.GetBytes(review)));

        Assert.True(status is >= 200 and < 500, text);
        Assert.DoesNotContain(Webhook.Logs.Lines, l => l.Contains("uid-vct", StringComparison.Ordinal) && l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_AnswerGetOnly()
    {
        var client = Webhook.Client();

        using var post = await client.PostAsync(new Uri("/metrics", UriKind.Relative), new StringContent(""));
        using var get = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Contains("GET", post.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task Metrics_HaveACounterForServerErrors()
    {
        Assert.Contains("airflowguard_http_server_errors_total", await Webhook.MetricsAsync(), StringComparison.Ordinal);
    }
}
