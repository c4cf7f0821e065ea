namespace AirflowGuard.Webhook.Tests.Support;

/// <summary>One webhook with the bundled pack, shared by the tests of a class.</summary>
public sealed class BundledWebhookFixture : IAsyncLifetime
{
    public RunningWebhook Webhook { get; private set; } = null!;

    public async Task InitializeAsync() => Webhook = await RunningWebhook.StartAsync();

    public async Task DisposeAsync() => await Webhook.DisposeAsync();
}
