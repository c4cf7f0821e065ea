using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Mutations;

/// <summary>A mutation that also repairs PersistentVolume objects (as they are created), not only pods.</summary>
internal interface IPersistentVolumeMutation
{
    void ApplyToPersistentVolume(PersistentVolumeInfo volume, Storage.DriverCatalog drivers, List<PatchOperation> operations, MutationReport report);
}
