namespace AirflowGuard.Engine.Rules;

public enum FolderKind
{
    Logs,
    Dags,
    Path,
}
