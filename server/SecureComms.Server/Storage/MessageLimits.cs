namespace SecureComms.Server.Storage;

/// <summary>The store-and-forward limits the store enforces.</summary>
public static class MessageLimits
{
    /// <summary>Largest message body: 256 KiB. Bodies are end-to-end encrypted envelopes; attachments travel elsewhere.</summary>
    public const int MaxBodySizeInBytes = 256 * 1024;

    /// <summary>Most messages returned by one <see cref="IServerStore.PendingForAsync"/> call: 1000.</summary>
    public const int MaxBatch = 1000;
}
