namespace AirflowGuard.Engine.Storage;

/// <summary>The object store a FUSE driver mounts: it decides which of Airflow's remote log handlers replaces the mount.</summary>
public enum ObjectStore
{
    None,
    S3,
    Gcs,
    AzureBlob,
    Oss,
}

/// <summary>Names of <see cref="ObjectStore"/> as the driver catalogue spells them, and what Airflow's remote logging needs for each.</summary>
public static class ObjectStores
{
    public static bool TryParse(string text, out ObjectStore store)
    {
        store = text switch
        {
            "s3" => ObjectStore.S3,
            "gcs" => ObjectStore.Gcs,
            "azure-blob" => ObjectStore.AzureBlob,
            "oss" => ObjectStore.Oss,
            _ => ObjectStore.None,
        };
        return store != ObjectStore.None;
    }

    /// <summary>The store a remote base log folder writes to, from its scheme (Airflow picks the handler the same way).</summary>
    public static ObjectStore FromRemoteFolder(string folder) =>
        folder.StartsWith("s3://", StringComparison.Ordinal) ? ObjectStore.S3
        : folder.StartsWith("gs://", StringComparison.Ordinal) ? ObjectStore.Gcs
        : folder.StartsWith("wasb", StringComparison.Ordinal) ? ObjectStore.AzureBlob
        : folder.StartsWith("oss://", StringComparison.Ordinal) ? ObjectStore.Oss
        : ObjectStore.None;

    /// <summary>A remote base log folder for the store, with the part a site must fill in marked REPLACE-ME (it still renders).</summary>
    public static string PlaceholderFolder(this ObjectStore store) => store switch
    {
        ObjectStore.Gcs => "gs://REPLACE-ME-bucket/airflow/logs",
        // the wasb handler takes the container from [azure_remote_logging] remote_wasb_log_container; the folder only needs the wasb prefix
        ObjectStore.AzureBlob => "wasb-airflow-logs",
        ObjectStore.Oss => "oss://REPLACE-ME-bucket/airflow/logs",
        _ => "s3://REPLACE-ME-bucket/airflow/logs",
    };

    /// <summary>The connection id Airflow's handler for the store uses by default.</summary>
    public static string DefaultConnectionId(this ObjectStore store) => store switch
    {
        ObjectStore.Gcs => "google_cloud_default",
        ObjectStore.AzureBlob => "wasb_default",
        ObjectStore.Oss => "oss_default",
        _ => "aws_default",
    };

    /// <summary>How a fix names the store: "Azure Blob Storage (wasb)".</summary>
    public static string Title(this ObjectStore store) => store switch
    {
        ObjectStore.S3 => "S3 (s3://)",
        ObjectStore.Gcs => "Google Cloud Storage (gs://)",
        ObjectStore.AzureBlob => "Azure Blob Storage (wasb, with an Azure Blob connection)",
        ObjectStore.Oss => "Alibaba Cloud OSS (oss://)",
        _ => "your object store (s3://, gs://, wasb or oss://)",
    };

    /// <summary>
    /// The remote logging env settings for the store, as a fix names them:
    /// "AIRFLOW__LOGGING__REMOTE_LOGGING=True, AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER=gs://…, AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID=google_cloud_default".
    /// </summary>
    public static string RemoteLoggingText(this ObjectStore store) => store switch
    {
        ObjectStore.None => "AIRFLOW__LOGGING__REMOTE_LOGGING=True, AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER=s3://…, gs://…, wasb-… or oss://…, " +
                            "AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID",
        ObjectStore.AzureBlob => "AIRFLOW__LOGGING__REMOTE_LOGGING=True, AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER=wasb-…, " +
                                 "AIRFLOW__AZURE_REMOTE_LOGGING__REMOTE_WASB_LOG_CONTAINER=<container>, AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID=wasb_default (an Azure Blob connection)",
        _ => $"AIRFLOW__LOGGING__REMOTE_LOGGING=True, AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER={Scheme(store)}…, AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID={store.DefaultConnectionId()}",
    };

    private static string Scheme(ObjectStore store) => store switch
    {
        ObjectStore.Gcs => "gs://",
        ObjectStore.Oss => "oss://",
        _ => "s3://",
    };
}
