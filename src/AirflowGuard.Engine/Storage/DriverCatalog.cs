namespace AirflowGuard.Engine.Storage;

/// <summary>The drivers AirflowGuard knows. Users add or override entries with <c>kind: DriverCatalog</c> files.</summary>
public sealed class DriverCatalog
{
    private readonly Dictionary<string, DriverInfo> _exact;
    private readonly List<DriverInfo> _patterns;

    public DriverCatalog(IEnumerable<DriverInfo> drivers)
    {
        _exact = new Dictionary<string, DriverInfo>(StringComparer.Ordinal);
        _patterns = [];
        foreach (var driver in drivers)
        {
            if (driver.Pattern is not null)
            {
                _patterns.RemoveAll(p => p.Driver == driver.Driver);
                _patterns.Add(driver);
            }
            else
            {
                _exact[driver.Driver] = driver; // later entries (user files) override earlier ones
            }
        }
    }

    public static DriverCatalog Empty { get; } = new([]);

    public IEnumerable<DriverInfo> Drivers => _exact.Values.Concat(_patterns);

    public DriverInfo? Find(string? driver)
    {
        if (string.IsNullOrEmpty(driver))
        {
            return null;
        }
        if (_exact.TryGetValue(driver, out var info))
        {
            return info;
        }
        foreach (var pattern in _patterns)
        {
            if (pattern.Pattern!.IsMatch(driver))
            {
                return pattern;
            }
        }
        return null;
    }

    public DriverCatalog With(IEnumerable<DriverInfo> more) => new(Drivers.Concat(more));

    /// <summary>The text of the built-in catalogue shipped inside the engine.</summary>
    public static string BuiltInText()
    {
        using var stream = typeof(DriverCatalog).Assembly.GetManifestResourceStream("AirflowGuard.Engine.drivers.yaml")
            ?? throw new InvalidOperationException("the built-in driver catalogue is missing from the engine assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
