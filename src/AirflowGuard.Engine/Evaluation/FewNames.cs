namespace AirflowGuard.Engine.Evaluation;

/// <summary>
/// The names a rule has already dealt with in one pod (volumes reported, airflow.cfg files read): a set that is
/// nearly always empty or holds one to three names. The first four are kept in the struct itself, so a rule that
/// reports nothing or little allocates nothing; a fifth and later go into a <see cref="HashSet{T}"/>. Ordinal,
/// as names in a pod are. Keep it in a local and pass it by <c>ref</c>: a copy does not see what is added later.
/// </summary>
internal struct FewNames
{
    private string? _first, _second, _third, _fourth;
    private HashSet<string>? _more;

    public readonly bool Contains(string name) =>
        name == _first || name == _second || name == _third || name == _fourth || _more?.Contains(name) == true;

    /// <summary>Adds <paramref name="name"/>; false when it was already there.</summary>
    public bool Add(string name)
    {
        if (Contains(name))
        {
            return false;
        }
        if (_first is null)
        {
            _first = name;
        }
        else if (_second is null)
        {
            _second = name;
        }
        else if (_third is null)
        {
            _third = name;
        }
        else if (_fourth is null)
        {
            _fourth = name;
        }
        else
        {
            (_more ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
        }
        return true;
    }
}
