using System.Net;
using System.Text;
using AirflowGuard.Cli;

namespace AirflowGuard.Playground.Tests;

public class PlaygroundLimitsTests
{
    [Fact]
    public async Task Evaluate_PastTheTimeLimit_Refused503()
    {
        var app = PlaygroundServer.Build(new IPEndPoint(IPAddress.Loopback, 0), TimeSpan.FromMilliseconds(1));
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(PlaygroundServer.Address(app)) };
            // every chart render at once (4.5 MB): seconds, far past the limit even when a timer fires late; the
            // evaluation is then stopped at its next object (Evaluate_Abandoned_StopsInsteadOfRunningOn)
            var render = string.Join("\n---\n", Directory.GetFiles(Path.Combine(Repository.Root, "tests/charts"), "*.yaml", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".values.yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(File.ReadAllText));
            using var content = new StringContent(render, Encoding.UTF8, "application/yaml");

            using var slow = await http.PostAsync("/api/evaluate", content);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, slow.StatusCode);
            Assert.Contains("took longer than 0.001 s", await slow.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public void Evaluate_Abandoned_StopsInsteadOfRunningOn()
    {
        using var abandoned = new CancellationTokenSource();
        abandoned.Cancel();
        var request = new PlaygroundRequest(Repository.Read("tests/charts/official-1.19/celery-stock.yaml"), PolicyPack.BundledText(), "", "airflow");

        Assert.ThrowsAny<OperationCanceledException>(() => PlaygroundEvaluator.Evaluate(request, abandoned.Token));
        Assert.Contains("\"objects\"", System.Text.Encoding.UTF8.GetString(PlaygroundEvaluator.Evaluate(request, CancellationToken.None)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1:8080")]
    [InlineData("localhost:0", "127.0.0.1:0")]
    [InlineData("[::1]:9000", "[::1]:9000")]
    [InlineData("0.0.0.0:80", "0.0.0.0:80")]
    public void Listen_HostAndPort_Parsed(string value, string expected) =>
        Assert.Equal(expected, PlaygroundCommand.Listen(value).ToString());

    [Theory]
    [InlineData("8080")]
    [InlineData("127.0.0.1:http")]
    [InlineData("example.com:80")]
    [InlineData("127.0.0.1:70000")]
    public void Listen_NotHostAndPort_UsageError(string value) =>
        Assert.Throws<UsageException>(() => PlaygroundCommand.Listen(value));
}
