namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>A live view of a secret's storage, taken before <see cref="IDisposable.Dispose"/> to watch it wiped.</summary>
internal delegate ReadOnlySpan<byte> SecretView(IDisposable secret);

/// <summary>
/// One secret-holding type of crypto/ as the contract suites see it: how to import one, an operation that
/// needs the secret, and (if the type has them) export and a view of its storage.
/// </summary>
/// <param name="Name">The type's name, which is also the theory case's name.</param>
/// <param name="SizeInBytes">Exact secret length the import accepts.</param>
/// <param name="ImportParameter">Name of the import's secret parameter, for argument-error checks.</param>
/// <param name="Import">Imports bytes; the flag asks for an exportable secret where the type has export.</param>
/// <param name="Use">Any operation that needs the secret bytes.</param>
/// <param name="Export">Export into a destination; null when the type has none.</param>
/// <param name="View">The storage itself (internal accessor); null when it lives outside managed memory.</param>
internal sealed record SecretKind(
    string Name,
    int SizeInBytes,
    string ImportParameter,
    Func<byte[], bool, IDisposable> Import,
    Action<IDisposable> Use,
    Action<IDisposable, byte[]>? Export,
    SecretView? View)
{
    public override string ToString() => Name;
}

/// <summary>
/// Every type of crypto/ that holds a secret: the registry the secret contracts and properties run over
/// (NSec <c>tests/Registry.cs</c>). A new secret-holding type is added here and inherits every contract.
/// </summary>
internal static class SecretKinds
{
    public static readonly IReadOnlyList<SecretKind> All =
    [
        new(nameof(SymmetricKey), SymmetricKey.SizeInBytes, "key",
            (bytes, exportable) => SymmetricKey.Import(bytes, exportable),
            secret =>
            {
                using var aead = new Aes256Gcm((SymmetricKey)secret);
            },
            (secret, destination) => ((SymmetricKey)secret).Export(destination),
            secret => ((SymmetricKey)secret).Bytes),
        new(nameof(X25519PrivateKey), X25519PrivateKey.SizeInBytes, "scalar",
            (bytes, exportable) => X25519PrivateKey.Import(bytes, exportable),
            secret =>
            {
                var key = (X25519PrivateKey)secret;
                X25519.Agree(key, key.PublicKey, new byte[X25519.SharedSecretSizeInBytes]);
            },
            (secret, destination) => ((X25519PrivateKey)secret).Export(destination),
            secret => ((X25519PrivateKey)secret).Scalar),
        new(nameof(Ed25519PrivateKey), Ed25519PrivateKey.SeedSizeInBytes, "seed",
            (bytes, exportable) => Ed25519PrivateKey.Import(bytes, exportable),
            secret => Ed25519.Sign((Ed25519PrivateKey)secret, [], new byte[Ed25519.SignatureSizeInBytes]),
            (secret, destination) => ((Ed25519PrivateKey)secret).Export(destination),
            View: null),
        new(nameof(Aes256Gcm), Aes256Gcm.KeySizeInBytes, "key",
            (bytes, _) => new Aes256Gcm(bytes),
            secret => ((Aes256Gcm)secret).Seal(new byte[Aes256Gcm.NonceSizeInBytes], [], [], new byte[Aes256Gcm.TagSizeInBytes]),
            Export: null,
            View: null),
        new(nameof(Aes256Cbc), Aes256Cbc.KeySizeInBytes, "key",
            (bytes, _) => new Aes256Cbc(bytes),
            secret => ((Aes256Cbc)secret).Encrypt(new byte[Aes256Cbc.IvSizeInBytes], [], new byte[Aes256Cbc.IvSizeInBytes]),
            Export: null,
            View: null),
    ];

    public static TheoryData<string> Names => [.. All.Select(k => k.Name)];

    public static TheoryData<string> ExportableNames => [.. All.Where(k => k.Export is not null).Select(k => k.Name)];

    public static TheoryData<string> ViewableNames => [.. All.Where(k => k.View is not null).Select(k => k.Name)];

    public static SecretKind Get(string name) => All.Single(k => k.Name == name);
}
