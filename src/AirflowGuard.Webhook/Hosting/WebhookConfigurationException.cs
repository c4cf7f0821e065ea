namespace AirflowGuard.Webhook.Hosting;

/// <summary>A configuration problem found at start-up; its message says which setting and why.</summary>
public sealed class WebhookConfigurationException(string message) : Exception(message);
