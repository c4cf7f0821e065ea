using AirflowGuard.Engine.Airflow;

namespace AirflowGuard.Engine.Tests;

/// <summary>A parsed airflow.cfg keeps what each option reads from it, per place it is mounted: asking again gives the same answer.</summary>
public class AirflowCfgTests
{
    private static readonly AirflowCfg Cfg = AirflowCfg.Parse("""
        [core]
        dags_folder = /git/dags
        base_log_folder = /old/logs
        fernet_key = a-key
        [database]
        sql_alchemy_conn = postgresql://airflow:pw@db/airflow
        [logging]
        remote_logging = True
        """);

    [Fact]
    public void AnOption_ReadsTheSameEachTime_WithTheSourceOfEachPlace()
    {
        var first = Cfg.Place("/opt/airflow/airflow.cfg", "ConfigMap", "airflow-config", "airflow.cfg");
        var second = Cfg.Place("/etc/airflow/airflow.cfg", "Secret", "airflow-config", "airflow.cfg");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new SettingValue("/git/dags", $"[core] dags_folder in {first}"), Cfg.Setting(AirflowOption.DagsFolder, first));
            Assert.Equal(new SettingValue("/git/dags", $"[core] dags_folder in {second}"), Cfg.Setting(AirflowOption.DagsFolder, second));
            // under its older name
            Assert.Equal(new SettingValue("/old/logs", $"[core] base_log_folder in {first}"), Cfg.Setting(AirflowOption.BaseLogFolder, first));
            Assert.Null(Cfg.Setting(AirflowOption.RemoteBaseLogFolder, first));
        }
        Assert.Equal("/git/dags", Cfg.Setting(new AirflowOption("core", "dags_folder", null), first, remember: false)!.Value);
    }

    [Fact]
    public void TheSensitiveOptionsItSets_AreFoundOnce_InTheCataloguesOrder()
    {
        Assert.Same(Cfg.SensitiveValues, Cfg.SensitiveValues);
        Assert.Equal([("core", "fernet_key"), ("database", "sql_alchemy_conn")], Cfg.SensitiveValues.Select(v => (v.Section, v.Key)));
        Assert.Empty(AirflowCfg.Parse("[core]\nfernet_key =\n").SensitiveValues);
    }
}
