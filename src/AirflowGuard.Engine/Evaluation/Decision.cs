using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Mutations;

namespace AirflowGuard.Engine.Evaluation;

/// <summary>The engine's answer for one object: allowed or not, why, and the patch that repairs it.</summary>
public sealed record Decision
{
    public static Decision NotApplicable { get; } = new() { Component = AirflowComponent.NotAirflow, Evidence = "not an Airflow object" };

    public required AirflowComponent Component { get; init; }
    public string Evidence { get; init; } = "";

    /// <summary>The chart the object was rendered from, with the labels that told (unknown for objects no chart made).</summary>
    public Charts.ChartRelease Chart { get; init; } = Charts.ChartRelease.Unknown;
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    public IReadOnlyList<PatchOperation> Patch { get; init; } = [];
    public IReadOnlyList<AppliedExemption> Exceptions { get; init; } = [];

    /// <summary>Names of the policies that applied to the object.</summary>
    public IReadOnlyList<string> PoliciesApplied { get; init; } = [];

    public bool Allowed
    {
        get
        {
            foreach (var finding in Findings)
            {
                if (finding.Denies)
                {
                    return false;
                }
            }
            return true;
        }
    }
}
