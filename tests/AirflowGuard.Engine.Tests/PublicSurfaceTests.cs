using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// The Engine's public types are what the webhook, the command line and the cluster access use, and nothing more
/// (everything else is internal). The list is kept in TestData/engine-public-types.txt so that a change to the surface
/// shows in review: regenerate it with AIRFLOWGUARD_WRITE_SURFACE=1.
/// </summary>
public class PublicSurfaceTests
{
    [Fact]
    public void EnginePublicTypes_AreTheRecordedOnes()
    {
        var actual = typeof(PolicyEngine).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal).ToList();
        var file = Repo.Path("tests", "AirflowGuard.Engine.Tests", "TestData", "engine-public-types.txt");
        if (Environment.GetEnvironmentVariable("AIRFLOWGUARD_WRITE_SURFACE") == "1")
        {
            File.WriteAllLines(file, actual);
        }

        var recorded = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();

        Assert.Equal(recorded, actual);
    }
}
