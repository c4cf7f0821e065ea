using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Playground.Tests;

public class PolicyPackTests
{
    [Fact]
    public void BundledText_SplitAndLoaded_IsTheBundledPack()
    {
        var files = PolicyPack.Split(PolicyPack.BundledText());

        Assert.Equal(BundledPolicies.Texts().Select(t => t.File), files.Select(f => f.File));
        var loaded = PolicyLoader.LoadTexts(files.Select(f => (f.File, f.Text)));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        Assert.Equal(BundledPolicies.Load().Set!.Policies.Count, loaded.Set!.Policies.Count);
    }

    [Fact]
    public void Split_TextBeforeTheFirstMarker_IsPlaygroundYaml()
    {
        var files = PolicyPack.Split("kind: A\n# file: mine.yaml\nkind: B\nx: 1\n");

        Assert.Collection(files,
            f => Assert.Equal(("playground.yaml", 1, "kind: A\n"), (f.File, f.FirstLine, f.Text)),
            f => Assert.Equal(("mine.yaml", 3), (f.File, f.FirstLine)));
    }
}
