namespace SecureComms.Bench;

/// <summary>
/// Input shapes copied from <c>openssl speed</c> (OpenSSL 3.0 apps/speed.c), so that each of our figures
/// measures the same work as the OpenSSL figure it is compared with.
/// </summary>
/// <remarks>
/// <para>AEAD: <c>openssl speed -aead -evp aes-256-gcm</c> (EVP_Update_loop_aead) sets the IV, absorbs a
/// 13-byte AAD, processes the payload and finalises the tag for every record, as one
/// <see cref="Crypto.Aes256Gcm.Seal"/> does. Without <c>-aead</c> OpenSSL streams one endless GCM message
/// (no IV, AAD or tag per record), which is not comparable.</para>
/// <para>Signatures: EdDSA_sign_loop and EdDSA_verify_loop sign and verify 20 bytes.</para>
/// <para>X25519: ECDH_EVP_derive_key_loop derives from keys made beforehand: agreement only.</para>
/// </remarks>
internal static class OpenSslSpeedShape
{
    /// <summary>AAD per record in the -aead loop ("TLS-like": a 13-byte TLS 1.2 record header).</summary>
    internal const int AssociatedDataSizeInBytes = 13;

    /// <summary>Message length signed and verified by the EdDSA loops.</summary>
    internal const int SignedMessageSizeInBytes = 20;
}
