namespace SecureComms.Crypto.Tests;

/// <summary>Folders of the repository, found from the test's output directory by walking up to the folder
/// that holds <c>SecureComms.sln</c>.</summary>
internal static class RepositoryPaths
{
    private const string RootMarker = "SecureComms.sln";

    /// <summary>The repository root.</summary>
    public static string Root { get; } = Locate();

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, RootMarker)))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No {RootMarker} above {AppContext.BaseDirectory}.");
    }
}
