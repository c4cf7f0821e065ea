using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A rule only a whole release shows: it looks at how all the workloads of a bundle of manifests
/// use a claim. `check` runs it over the bundle; the webhook runs it over the claims of the object it admits, used by
/// that object and by the running workloads of its cluster cache (<see cref="NeedsWholeRelease"/> rules excepted).
/// </summary>
internal abstract class ReleaseRule : Rule
{
    /// <summary>The placeholders every release-wide rule's message may use (<see cref="ReleaseValues"/>).</summary>
    public static readonly IReadOnlyCollection<string> Placeholders = ["claim", "namespace", "workloads", "writers", "accessModes", "mountPath", "identities"];

    /// <summary>
    /// True for a rule that concludes something is missing (no writer of a claim): only a whole release shows that, not
    /// the running workloads of a cluster while a release is being installed.
    /// </summary>
    internal virtual bool NeedsWholeRelease => false;

    /// <summary>The finding for <paramref name="usage"/>, or null when the claim is used well.</summary>
    internal abstract ReleaseValues? Check(ClaimUsage usage);

    /// <summary>What repairs a finding of the rule on <paramref name="usage"/>, whatever chart made the workloads (null: no one remedy).</summary>
    internal virtual Charts.Remedy? RemedyFor(ClaimUsage usage) => null;
}
