using Microsoft.Data.Sqlite;
using SecureComms.Crypto;

namespace SecureComms.Server.Storage;

/// <summary>
/// Store-and-forward messages: <c>messages</c> holds what awaits acknowledgement; <c>message_ids</c> remembers
/// every (sender, client id) accepted, with the recipient, sequence and SHA-256 of the body, so a resend is
/// recognized also after the recipient acknowledged it and the body is gone.
/// </summary>
public sealed partial class SqliteServerStore
{
    /// <inheritdoc/>
    public Task<EnqueueResult> EnqueueAsync(UserId sender, UserId recipient, Guid clientMessageId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        if (body.Length > MessageLimits.MaxBodySizeInBytes)
        {
            throw new ArgumentException($"A message body is at most {MessageLimits.MaxBodySizeInBytes} bytes.", nameof(body));
        }
        byte[] bytes = body.ToArray();
        byte[] bodyHash = new byte[Sha256.HashSizeInBytes];
        Sha256.Hash(bytes, bodyHash);
        byte[] id = clientMessageId.ToByteArray(bigEndian: true);
        return WriteAsync(connection =>
        {
            using (CommandLease known = Command(connection,
                "SELECT recipient_id, sequence, body_hash, received_at FROM message_ids WHERE sender_id = $sender AND client_message_id = $id;",
                ("$sender", sender.Value), ("$id", id)))
            using (SqliteDataReader reader = known.ExecuteReader())
            {
                if (reader.Read())
                {
                    bool same = reader.GetInt64(0) == recipient.Value && FixedTime.Equals(reader.GetFieldValue<byte[]>(2), bodyHash);
                    return same
                        ? new EnqueueResult(EnqueueStatus.Duplicate, new StoredMessage(sender, recipient, clientMessageId, reader.GetInt64(1), bytes, FromUnixMilliseconds(reader.GetInt64(3))))
                        : new EnqueueResult(EnqueueStatus.IdReused, null);
                }
            }
            if (!AccountExists(connection, sender) || !AccountExists(connection, recipient))
            {
                return new EnqueueResult(EnqueueStatus.NoSuchUser, null);
            }
            long now = Now();
            Execute(connection,
                "INSERT INTO messages (recipient_id, sender_id, client_message_id, body, received_at) VALUES ($recipient, $sender, $id, $body, $now);",
                ("$recipient", recipient.Value), ("$sender", sender.Value), ("$id", id), ("$body", bytes), ("$now", now));
            long sequence = ScalarInt64(connection, "SELECT last_insert_rowid();");
            Execute(connection,
                "INSERT INTO message_ids (sender_id, client_message_id, recipient_id, sequence, body_hash, received_at) VALUES ($sender, $id, $recipient, $sequence, $hash, $now);",
                ("$sender", sender.Value), ("$id", id), ("$recipient", recipient.Value), ("$sequence", sequence), ("$hash", bodyHash), ("$now", now));
            return new EnqueueResult(EnqueueStatus.Stored, new StoredMessage(sender, recipient, clientMessageId, sequence, bytes, FromUnixMilliseconds(now)));
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredMessage>> PendingForAsync(UserId recipient, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MessageLimits.MaxBatch);
        return ReadAsync<IReadOnlyList<StoredMessage>>(connection =>
        {
            using CommandLease command = Command(connection,
                """
                SELECT sequence, sender_id, client_message_id, body, received_at FROM messages
                WHERE recipient_id = $recipient AND sequence > $after ORDER BY sequence LIMIT $limit;
                """,
                ("$recipient", recipient.Value), ("$after", afterSequence), ("$limit", limit));
            using SqliteDataReader reader = command.ExecuteReader();
            var messages = new List<StoredMessage>();
            while (reader.Read())
            {
                messages.Add(new StoredMessage(
                    new UserId(reader.GetInt64(1)),
                    recipient,
                    new Guid(reader.GetFieldValue<byte[]>(2), bigEndian: true),
                    reader.GetInt64(0),
                    reader.GetFieldValue<byte[]>(3),
                    FromUnixMilliseconds(reader.GetInt64(4))));
            }
            return messages;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> AcknowledgeAsync(UserId recipient, long upToSequence, CancellationToken cancellationToken = default) =>
        WriteAsync(connection => Execute(connection,
            "DELETE FROM messages WHERE recipient_id = $recipient AND sequence <= $upTo;",
            ("$recipient", recipient.Value), ("$upTo", upToSequence)), cancellationToken);

    /// <inheritdoc/>
    public Task<int> AcknowledgeAsync(UserId recipient, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequences.Count, MessageLimits.MaxBatch, nameof(sequences));
        long[] copy = [.. sequences];
        return WriteAsync(connection =>
        {
            using CommandLease command = Command(connection,
                "DELETE FROM messages WHERE recipient_id = $recipient AND sequence = $sequence;",
                ("$recipient", recipient.Value), ("$sequence", 0L));
            int deleted = 0;
            foreach (long sequence in copy)
            {
                command.Parameters["$sequence"].Value = sequence;
                deleted = checked(deleted + command.ExecuteNonQuery());
            }
            return deleted;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> ForgetMessageIdsAsync(DateTimeOffset acceptedBefore, CancellationToken cancellationToken = default) =>
        WriteAsync(connection => Execute(connection,
            """
            DELETE FROM message_ids WHERE received_at < $before
            AND NOT EXISTS (SELECT 1 FROM messages WHERE messages.sequence = message_ids.sequence);
            """,
            ("$before", acceptedBefore.ToUnixTimeMilliseconds())), cancellationToken);
}
