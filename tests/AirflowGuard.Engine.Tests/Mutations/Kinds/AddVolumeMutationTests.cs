using AirflowGuard.Engine.Tests.Support;
using static AirflowGuard.Engine.Tests.Support.MutationFixtures;

namespace AirflowGuard.Engine.Tests;

/// <summary>addVolume: a shared claim added and mounted into Airflow containers once.</summary>
public class AddVolumeMutationTests
{
    [Fact]
    public void AddVolume_AddsClaimAndMountToAirflowContainersOnly()
    {
        var (patched, _) = MutateOnce(SchedulerWithGitSync.Replace("component: scheduler", "component: worker", StringComparison.Ordinal),
            Packs.Examples, "Pod", "scheduler-0");

        var volumes = patched["spec"]!["volumes"]!.AsArray();
        Assert.Equal("extra-persistence-volume-claim", (string)volumes.Single()!["persistentVolumeClaim"]!["claimName"]!);
        Assert.Equal("/opt/airflow/share", (string)patched["spec"]!["containers"]![0]!["volumeMounts"]![0]!["mountPath"]!);
        Assert.Null(patched["spec"]!["containers"]![1]!["volumeMounts"]);
    }

    [Fact]
    public void AddVolume_WhenTheClaimIsAlreadyMounted_PatchesNothing()
    {
        var decision = Bundle.Seed("001-ke-task-logs-unsafe.yaml").Verdict(Packs.Examples, "Pod", "download-data-fetch-4f2a9c1e").Decision;

        Assert.DoesNotContain(decision.Patch, op => op.Path.Contains("volume", StringComparison.Ordinal));
    }
}
