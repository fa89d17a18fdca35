using Microsoft.Data.Sqlite;

namespace SecureComms.Server.Storage;

/// <summary>The prekey directory: <c>device_keys</c> (identity, signed prekey) and the <c>one_time_pre_keys</c> stock.</summary>
public sealed partial class SqliteServerStore
{
    /// <inheritdoc/>
    public Task<PreKeyUploadResult> UploadPreKeysAsync(UserId owner, uint deviceId, PreKeyUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(upload.SignedPreKey);
        ArgumentNullException.ThrowIfNull(upload.OneTimePreKeys);
        RequireKey(upload.IdentityKey, PreKeyLimits.MaxKeySizeInBytes, "identity key");
        RequireKey(upload.SignedPreKey.PublicKey, PreKeyLimits.MaxKeySizeInBytes, "signed prekey");
        RequireKey(upload.SignedPreKey.Signature, PreKeyLimits.MaxSignatureSizeInBytes, "signed prekey signature");
        if (upload.OneTimePreKeys.Count > PreKeyLimits.MaxOneTimePreKeysPerUpload)
        {
            throw new ArgumentException($"At most {PreKeyLimits.MaxOneTimePreKeysPerUpload} one-time prekeys per upload.", nameof(upload));
        }
        var oneTime = new Dictionary<uint, byte[]>();
        foreach (OneTimePreKey key in upload.OneTimePreKeys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(upload));
            RequireKey(key.PublicKey, PreKeyLimits.MaxKeySizeInBytes, "one-time prekey");
            if (!oneTime.TryAdd(key.Id, key.PublicKey.ToArray()))
            {
                throw new ArgumentException($"One-time prekey id {key.Id} appears twice in the upload.", nameof(upload));
            }
        }
        byte[] identityKey = upload.IdentityKey.ToArray();
        SignedPreKey signed = new(upload.SignedPreKey.Id, upload.SignedPreKey.PublicKey.ToArray(), upload.SignedPreKey.Signature.ToArray());
        return WriteAsync(connection =>
        {
            if (!AccountExists(connection, owner))
            {
                return new PreKeyUploadResult(PreKeyUploadStatus.NoSuchUser, 0);
            }
            byte[]? storedIdentity;
            using (CommandLease current = Command(connection, "SELECT identity_key FROM device_keys WHERE user_id = $user AND device_id = $device;",
                ("$user", owner.Value), ("$device", (long)deviceId)))
            {
                storedIdentity = current.ExecuteScalar() as byte[];
            }
            bool identityChanged = storedIdentity is not null && !storedIdentity.AsSpan().SequenceEqual(identityKey); // public data: identity keys
            var stock = new HashSet<uint>();
            if (!identityChanged)
            {
                using CommandLease ids = Command(connection, "SELECT pre_key_id FROM one_time_pre_keys WHERE user_id = $user AND device_id = $device;",
                    ("$user", owner.Value), ("$device", (long)deviceId));
                using SqliteDataReader reader = ids.ExecuteReader();
                while (reader.Read())
                {
                    stock.Add(checked((uint)reader.GetInt64(0)));
                }
            }
            int before = stock.Count;
            stock.UnionWith(oneTime.Keys);
            if (stock.Count > PreKeyLimits.MaxOneTimePreKeyStock)
            {
                return new PreKeyUploadResult(PreKeyUploadStatus.StockFull, identityChanged ? 0 : before);
            }
            if (identityChanged)
            {
                Execute(connection, "DELETE FROM one_time_pre_keys WHERE user_id = $user AND device_id = $device;",
                    ("$user", owner.Value), ("$device", (long)deviceId));
            }
            Execute(connection,
                """
                INSERT INTO device_keys (user_id, device_id, registration_id, identity_key, signed_pre_key_id, signed_pre_key, signed_pre_key_signature, updated_at)
                VALUES ($user, $device, $registration, $identity, $spk_id, $spk, $spk_signature, $now)
                ON CONFLICT (user_id, device_id) DO UPDATE SET
                    registration_id = excluded.registration_id, identity_key = excluded.identity_key,
                    signed_pre_key_id = excluded.signed_pre_key_id, signed_pre_key = excluded.signed_pre_key,
                    signed_pre_key_signature = excluded.signed_pre_key_signature, updated_at = excluded.updated_at;
                """,
                ("$user", owner.Value), ("$device", (long)deviceId), ("$registration", (long)upload.RegistrationId), ("$identity", identityKey),
                ("$spk_id", (long)signed.Id), ("$spk", signed.PublicKey), ("$spk_signature", signed.Signature), ("$now", Now()));
            using (CommandLease insert = Command(connection,
                """
                INSERT INTO one_time_pre_keys (user_id, device_id, pre_key_id, public_key) VALUES ($user, $device, $id, $key)
                ON CONFLICT (user_id, device_id, pre_key_id) DO UPDATE SET public_key = excluded.public_key;
                """,
                ("$user", owner.Value), ("$device", (long)deviceId), ("$id", 0L), ("$key", Array.Empty<byte>())))
            {
                foreach ((uint id, byte[] key) in oneTime)
                {
                    insert.Parameters["$id"].Value = (long)id;
                    insert.Parameters["$key"].Value = key;
                    insert.ExecuteNonQuery();
                }
            }
            return new PreKeyUploadResult(PreKeyUploadStatus.Stored, stock.Count);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One IMMEDIATE transaction under the store's gate: read the device row, pick the lowest-id
    /// one-time prekey, delete it, count the rest, commit. No other caller of this store can run in between,
    /// and another process writing the file would wait for the write lock, so a key is never handed out twice.</remarks>
    public Task<StoredPreKeyBundle?> TakeBundleAsync(UserId owner, uint deviceId, CancellationToken cancellationToken = default) =>
        WriteAsync(connection =>
        {
            uint registrationId;
            byte[] identityKey;
            SignedPreKey signed;
            using (CommandLease device = Command(connection,
                "SELECT registration_id, identity_key, signed_pre_key_id, signed_pre_key, signed_pre_key_signature FROM device_keys WHERE user_id = $user AND device_id = $device;",
                ("$user", owner.Value), ("$device", (long)deviceId)))
            using (SqliteDataReader reader = device.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }
                registrationId = checked((uint)reader.GetInt64(0));
                identityKey = reader.GetFieldValue<byte[]>(1);
                signed = new SignedPreKey(checked((uint)reader.GetInt64(2)), reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<byte[]>(4));
            }
            OneTimePreKey? oneTime = null;
            using (CommandLease pick = Command(connection,
                "SELECT pre_key_id, public_key FROM one_time_pre_keys WHERE user_id = $user AND device_id = $device ORDER BY pre_key_id LIMIT 1;",
                ("$user", owner.Value), ("$device", (long)deviceId)))
            using (SqliteDataReader reader = pick.ExecuteReader())
            {
                if (reader.Read())
                {
                    oneTime = new OneTimePreKey(checked((uint)reader.GetInt64(0)), reader.GetFieldValue<byte[]>(1));
                }
            }
            if (oneTime is not null
                && Execute(connection, "DELETE FROM one_time_pre_keys WHERE user_id = $user AND device_id = $device AND pre_key_id = $id;",
                    ("$user", owner.Value), ("$device", (long)deviceId), ("$id", (long)oneTime.Id)) != 1)
            {
                throw new InvalidOperationException("A one-time prekey vanished inside its own transaction.");
            }
            int remaining = CountStock(connection, owner, deviceId);
            return new StoredPreKeyBundle(owner, deviceId, registrationId, identityKey, signed, oneTime, remaining);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<int> OneTimePreKeyStockAsync(UserId owner, uint deviceId, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => CountStock(connection, owner, deviceId), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<uint>> DevicesOfAsync(UserId owner, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<uint>>(connection =>
        {
            using CommandLease command = Command(connection, "SELECT device_id FROM device_keys WHERE user_id = $user ORDER BY device_id;", ("$user", owner.Value));
            using SqliteDataReader reader = command.ExecuteReader();
            var devices = new List<uint>();
            while (reader.Read())
            {
                devices.Add(checked((uint)reader.GetInt64(0)));
            }
            return devices;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<byte[]?> IdentityKeyOfAsync(UserId owner, uint deviceId, CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
        {
            using CommandLease command = Command(connection, "SELECT identity_key FROM device_keys WHERE user_id = $user AND device_id = $device;",
                ("$user", owner.Value), ("$device", (long)deviceId));
            return command.ExecuteScalar() as byte[];
        }, cancellationToken);

    private int CountStock(SqliteConnection connection, UserId owner, uint deviceId) =>
        checked((int)ScalarInt64(connection, "SELECT count(*) FROM one_time_pre_keys WHERE user_id = $user AND device_id = $device;",
            ("$user", owner.Value), ("$device", (long)deviceId)));

    private static void RequireKey(byte[]? key, int maxLength, string what)
    {
        if (key is null || key.Length == 0 || key.Length > maxLength)
        {
            throw new ArgumentException($"The {what} must be 1 to {maxLength} bytes.", nameof(key));
        }
    }
}
