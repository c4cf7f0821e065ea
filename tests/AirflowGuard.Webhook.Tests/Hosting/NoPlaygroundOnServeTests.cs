using System.Net;
using AirflowGuard.Webhook.Tests.Support;

namespace AirflowGuard.Webhook.Tests;

/// <summary><c>airflowguard playground</c> is a server of its own: the admission port serves none of it.</summary>
public class NoPlaygroundOnServeTests(BundledWebhookFixture fixture) : IClassFixture<BundledWebhookFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/static/app.js")]
    [InlineData("/api/samples")]
    [InlineData("/api/policies")]
    public async Task PlaygroundPaths_OnTheAdmissionPort_Are404(string path)
    {
        using var response = await fixture.Webhook.Client().GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task EvaluateEndpoint_OnTheAdmissionPort_Is404()
    {
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");

        using var response = await fixture.Webhook.Client().PostAsync(new Uri("/api/evaluate", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
