namespace AirflowGuard.Checking;

/// <summary>What kind of problem a check met.</summary>
internal enum CheckProblemKind
{
    /// <summary>An input that could not be read: a missing file, a YAML error (<see cref="CheckProblem.Manifest"/>).</summary>
    Read,

    /// <summary>An object read but not checkable (no kind, a field of the wrong type), or a failure inside AirflowGuard.</summary>
    Object,

    /// <summary>An object declared twice, differently: each file resolves against its own (not an error).</summary>
    Conflict,

    /// <summary>An AirflowPolicyException that waives nothing: expired, or naming a policy or rule not loaded (not an error).</summary>
    Exception,
}
