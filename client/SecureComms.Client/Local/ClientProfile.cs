using System.Security.Cryptography;
using SecureComms.Signal;
using SecureComms.Signal.Sqlite;

namespace SecureComms.Client.Local;

/// <summary>
/// A client's profile folder (<c>--profile DIR</c>): <see cref="ProfileFileName"/> (the <see cref="LocalStore"/>) and
/// <see cref="SignalStoreFileName"/> (the identity key and the Private Conversation sessions).
/// </summary>
/// <remarks>Hazards: both files hold secrets (the session token; the identity private key), so the folder is created
/// with mode 0700 and an existing folder open to group or others is refused on Unix. One process at a time: both stores
/// refuse a second open in a process, and two processes sharing a profile would race their ratchets.</remarks>
public sealed class ClientProfile : IDisposable
{
    /// <summary>The profile database.</summary>
    public const string ProfileFileName = "profile.db";

    /// <summary>The Signal protocol store.</summary>
    public const string SignalStoreFileName = "signal.db";

    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Registration ids are 14-bit and non-zero (libsignal's range).</summary>
    private const int MaxRegistrationId = 16380;

    private SqliteSignalProtocolStore? _signal;

    private ClientProfile(string directory, LocalStore store)
    {
        Directory = directory;
        Store = store;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The profile database.</summary>
    public LocalStore Store { get; }

    /// <summary>Where the Signal store lives.</summary>
    public string SignalStorePath => Path.Combine(Directory, SignalStoreFileName);

    /// <summary>Opens the profile in <paramref name="directory"/>, creating the folder (mode 0700) if needed.</summary>
    /// <exception cref="UnauthorizedAccessException">The folder is readable or writable by group or others.</exception>
    public static ClientProfile Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string full = Path.GetFullPath(directory);
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(full);
        }
        else
        {
            System.IO.Directory.CreateDirectory(full, PrivateFolder);
            if ((File.GetUnixFileMode(full) & GroupOrOther) != 0)
            {
                throw new UnauthorizedAccessException($"The profile folder '{full}' is open to other users; `chmod 700` it (it holds secrets).");
            }
        }
        return new ClientProfile(full, LocalStore.Open(Path.Combine(full, ProfileFileName)));
    }

    /// <summary>The Signal store, created with a fresh identity the first time (<paramref name="created"/> says so).</summary>
    public SqliteSignalProtocolStore SignalStore(out bool created)
    {
        created = false;
        if (_signal is null)
        {
            if (File.Exists(SignalStorePath))
            {
                _signal = SqliteSignalProtocolStore.Open(SignalStorePath);
            }
            else
            {
                using IdentityKeyPair identity = IdentityKeyPair.Generate();
                _signal = SqliteSignalProtocolStore.Create(SignalStorePath, identity, (uint)RandomNumberGenerator.GetInt32(1, MaxRegistrationId + 1));
                created = true;
            }
        }
        return _signal;
    }

    /// <summary>Closes both stores.</summary>
    public void Dispose()
    {
        _signal?.Dispose();
        Store.Dispose();
    }
}
