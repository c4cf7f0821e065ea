using AirflowGuard.Engine.Airflow;

namespace AirflowGuard.Engine.Policies;

internal static class LabelSelector
{
    public static bool Matches(IReadOnlyDictionary<string, Glob> selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, glob) in selector)
        {
            if (!labels.TryGetValue(key, out var value) || !glob.IsMatch(value))
            {
                return false;
            }
        }
        return true;
    }
}
