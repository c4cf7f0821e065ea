using System.Collections.Concurrent;
using System.Text.Json;
using AirflowGuard.Webhook.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Webhook.Tests;

/// <summary>One structured line per decision, and never a secret value in the logs.</summary>
public class LoggingTests
{
    private const string Password = "Sup3r-S3cret-Pw";

    [Fact]
    public async Task EachDecision_IsOneStructuredLine_WithTheFieldsOperatorsSearchBy()
    {
        await using var webhook = await RunningWebhook.StartAsync();

        await webhook.PostAsync(webhook.Client(), "/validate", Reviews.Create(Reviews.SchedulerWithHostPathAndPassword, uid: "uid-log-1"));

        var line = Assert.Single(webhook.Logs.Lines, l => l.Contains("uid-log-1", StringComparison.Ordinal));
        using var entry = JsonDocument.Parse(line);
        var e = entry.RootElement;
        Assert.Equal("uid-log-1", e.GetProperty("Uid").GetString());
        Assert.Equal("Pod", e.GetProperty("Kind").GetString());
        Assert.Equal("airflow", e.GetProperty("Namespace").GetString());
        Assert.Equal("airflow-scheduler-0", e.GetProperty("Name").GetString());
        Assert.Equal("scheduler", e.GetProperty("Component").GetString());
        Assert.Equal("denied", e.GetProperty("Decision").GetString());
        Assert.Contains("no-literal-secrets/secrets-from-secret-objects", e.GetProperty("Rules").EnumerateArray().Select(r => r.GetString()));
        Assert.True(e.GetProperty("DurationMs").GetDouble() > 0);
        // the compact JSON every other line uses: a timestamp and the message template
        Assert.InRange(e.GetProperty("@t").GetDateTime(), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        Assert.StartsWith("{Endpoint} {Uid}", e.GetProperty("@mt").GetString(), StringComparison.Ordinal);
        Assert.Equal("Validate", e.GetProperty("Endpoint").GetString());
    }

    [Fact]
    public async Task SecretValues_NeverReachTheLogs_WhateverHappens()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.Arguments.AddRange(["--log-level", "Verbose"]));
        var client = webhook.Client();
        var review = Reviews.Create(Reviews.SchedulerWithHostPathAndPassword, uid: "uid-secret");

        await webhook.PostAsync(client, "/validate", review);
        await webhook.PostAsync(client, "/mutate", review);
        await webhook.PostAsync(client, "/validate", review.Replace("\"uid\":\"uid-secret\"", "\"uid\":7", StringComparison.Ordinal)); // rejected
        await webhook.PostAsync(client, "/validate", review[..(review.Length / 2)]); // truncated

        Assert.Contains(webhook.Logs.Lines, l => l.Contains("uid-secret", StringComparison.Ordinal));
        Assert.DoesNotContain(Password, webhook.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("postgresql+psycopg2://", webhook.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_GetNoActivityNorLogScope_ThatNothingReads_EvenAtTheMostVerboseLevel()
    {
        var activities = new ConcurrentQueue<bool>();
        await using var webhook = await RunningWebhook.StartAsync(s =>
        {
            s.Arguments.AddRange(["--log-level", "Verbose"]);
            s.Services = services => services.AddSingleton<IStartupFilter>(new NoteActivity(activities));
        });

        var (status, _, _) = await webhook.PostAsync(webhook.Client(), "/validate", Reviews.Create(Reviews.SchedulerWithHostPathAndPassword, uid: "uid-activity"));

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        // ASP.NET Core starts an activity and a log scope per request whenever this logger is enabled at any level
        var hosting = webhook.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");
        Assert.False(hosting.IsEnabled(LogLevel.Critical));
        Assert.Equal([false], activities);
        // the rest of ASP.NET Core still logs as configured
        Assert.True(webhook.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
    }

    /// <summary>Notes, for each request, whether ASP.NET Core gave it an activity.</summary>
    private sealed class NoteActivity(ConcurrentQueue<bool> activities) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                activities.Enqueue(context.Features.Get<IHttpActivityFeature>() is not null || System.Diagnostics.Activity.Current is not null);
                return following(context);
            });
            next(app);
        };
    }
}
