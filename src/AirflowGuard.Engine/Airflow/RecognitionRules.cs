namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// Site-specific recognition, from <c>kind: AirflowRecognition</c> documents. Checked before the
/// built-in rules, so a site can name its own labels, images and sidecars.
/// </summary>
public sealed record RecognitionRules
{
    public static RecognitionRules Empty { get; } = new();

    /// <summary>Label selectors that name a component, in file order; the first that matches wins.</summary>
    public IReadOnlyList<ComponentSelector> Components { get; init; } = [];

    public IReadOnlyList<Glob> AirflowContainerNames { get; init; } = [];
    public IReadOnlyList<Glob> AirflowImages { get; init; } = [];
    public IReadOnlyList<Glob> SidecarNames { get; init; } = [];
    public IReadOnlyList<Glob> SidecarImages { get; init; } = [];
    public IReadOnlyList<Glob> GitSyncImages { get; init; } = [];

    /// <summary>Where the rules came from, for explanations: "recognition.yaml (in-house)".</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    public RecognitionRules Merge(RecognitionRules other) => new()
    {
        Components = [.. Components, .. other.Components],
        AirflowContainerNames = [.. AirflowContainerNames, .. other.AirflowContainerNames],
        AirflowImages = [.. AirflowImages, .. other.AirflowImages],
        SidecarNames = [.. SidecarNames, .. other.SidecarNames],
        SidecarImages = [.. SidecarImages, .. other.SidecarImages],
        GitSyncImages = [.. GitSyncImages, .. other.GitSyncImages],
        Sources = [.. Sources, .. other.Sources],
    };
}
