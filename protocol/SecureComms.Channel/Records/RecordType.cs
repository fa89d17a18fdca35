namespace SecureComms.Channel.Records;

/// <summary>
/// The first byte of every record, authenticated as associated data. Any other value is refused before decryption.
/// </summary>
public enum RecordType : byte
{
    /// <summary>Application data, delivered to the caller.</summary>
    Data = 0x01,

    /// <summary>An empty record that keeps NAT bindings and liveness; recognised, authenticated, never delivered.</summary>
    Keepalive = 0x02,

    /// <summary>
    /// Stream records only (TLS 1.3 KeyUpdate's role, RFC 8446 §4.6.3): empty; the next record in this direction uses
    /// the next key (Noise §11.3 Rekey) and counter 0. Datagrams derive the key from the counter instead.
    /// </summary>
    KeyUpdate = 0x03,
}
