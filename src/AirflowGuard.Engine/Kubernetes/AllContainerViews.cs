namespace AirflowGuard.Engine.Kubernetes;

/// <summary>A pod's containers, then its init containers: a struct enumerable, so walking it allocates nothing.</summary>
public readonly struct AllContainerViews(IReadOnlyList<ContainerView> containers, IReadOnlyList<ContainerView> initContainers) : IEnumerable<ContainerView>
{
    public Enumerator GetEnumerator() => new(containers, initContainers);

    IEnumerator<ContainerView> IEnumerable<ContainerView>.GetEnumerator() => Both().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => Both().GetEnumerator();

    private IEnumerable<ContainerView> Both() => containers.Concat(initContainers);

    public struct Enumerator(IReadOnlyList<ContainerView> containers, IReadOnlyList<ContainerView> initContainers)
    {
        private int _index = -1;
        private bool _init;

        public readonly ContainerView Current => _init ? initContainers[_index] : containers[_index];

        public bool MoveNext()
        {
            _index++;
            if (!_init && _index >= containers.Count)
            {
                _init = true;
                _index = 0;
            }
            return _index < (_init ? initContainers.Count : containers.Count);
        }
    }
}
