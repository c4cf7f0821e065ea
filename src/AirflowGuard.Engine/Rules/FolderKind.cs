namespace AirflowGuard.Engine.Rules;

internal enum FolderKind
{
    Logs,
    Dags,
    Path,
}
