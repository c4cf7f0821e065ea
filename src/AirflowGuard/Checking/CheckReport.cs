using AirflowGuard.Cli;
using AirflowGuard.Engine.Evaluation;

namespace AirflowGuard.Checking;

/// <summary>
/// What one run of the check pipeline found, in input order: the report rows every output format renders (kept, or
/// handed to a listener and only counted, so a text report of any length holds none once written), every object with
/// its verdict when asked for, the release-wide decision on each claim, and the problems met.
/// </summary>
internal sealed class CheckReport(bool keepRows)
{
    private readonly List<CheckedObject> _rows = [];
    private readonly List<CheckedObject> _releaseRows = [];
    private readonly List<ObjectCheck> _objects = [];
    private readonly List<ReleaseDecision> _release = [];

    /// <summary>Every report row: the objects' rows in input order, then the claims' release-wide rows; empty when the rows were streamed.</summary>
    public IReadOnlyList<CheckedObject> Rows => _rows;

    /// <summary>The release-wide rows alone (the last of <see cref="Rows"/>).</summary>
    public IReadOnlyList<CheckedObject> ReleaseRows => _releaseRows;

    /// <summary>Every input object with its verdict, when the pipeline was asked to keep them (explain, test, the playground).</summary>
    public IReadOnlyList<ObjectCheck> Objects => _objects;

    /// <summary>The release-wide decision on each claim the release's workloads mount.</summary>
    public IReadOnlyList<ReleaseDecision> Release => _release;

    /// <summary>How many rows were reported (kept or streamed), release-wide ones included.</summary>
    public int Count { get; private set; }

    public int Denied { get; private set; }

    public int Warned { get; private set; }

    /// <summary>Allowed with nothing to warn about, but changed by a mutation (the webhook would repair it).</summary>
    public int Repaired { get; private set; }

    /// <summary>Allowed, nothing to warn about, nothing to change (notes about what could not be checked may remain).</summary>
    public int Clean { get; private set; }

    /// <summary>Inputs (or parts) that could not be read.</summary>
    public int ReadErrors { get; private set; }

    /// <summary>Objects read but not checked (see <see cref="ObjectCheck.Problem"/>) or with errors in their fields.</summary>
    public int ObjectErrors { get; private set; }

    /// <summary>Every error that makes the input wrong: a check with any exits 2.</summary>
    public int InputErrors => ReadErrors + ObjectErrors;

    /// <summary>0 clean, 1 when findings reach <paramref name="failOn"/> (enforce, warn or never).</summary>
    public int ExitCode(string failOn) => failOn switch
    {
        "never" => CommandLine.Clean,
        "warn" when Denied + Warned > 0 => CommandLine.Violations,
        "warn" or "enforce" when Denied > 0 => CommandLine.Violations,
        _ => CommandLine.Clean,
    };

    /// <summary>The one-line summary the text report ends with.</summary>
    public string Summary => $"{Count} Airflow object(s) checked: {Denied} denied, {Warned} warned, {Repaired} repaired, {Clean} clean";

    internal void Problem(CheckProblem problem)
    {
        switch (problem.Kind)
        {
            case CheckProblemKind.Read:
                ReadErrors++;
                break;
            case CheckProblemKind.Object:
                ObjectErrors++;
                break;
        }
    }

    internal void Keep(ObjectCheck check) => _objects.Add(check);

    internal void AddRelease(ReleaseDecision decision) => _release.Add(decision);

    /// <summary>Counts a row in exactly one bucket, and keeps it unless the rows are streamed.</summary>
    internal void Add(CheckedObject row, bool release)
    {
        Count++;
        if (keepRows)
        {
            _rows.Add(row);
            if (release)
            {
                _releaseRows.Add(row);
            }
        }
        if (row.Denied)
        {
            Denied++;
        }
        else if (row.Warned)
        {
            Warned++;
        }
        else if (release)
        {
            return; // a claim has a row only for what the release-wide rules found
        }
        else if (row.Patch.Count > 0)
        {
            Repaired++;
        }
        else
        {
            Clean++;
        }
    }
}
