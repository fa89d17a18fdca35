namespace SecureComms.Server.Storage;

/// <summary>
/// Everything the cloud service keeps: accounts, sign-in sessions, contacts, store-and-forward messages and
/// the prekey directory. The protocol code talks only to this interface, so that a distributed backend can
/// replace <see cref="SqliteServerStore"/> without touching it.
/// </summary>
/// <remarks>
/// <para><b>Contract for every implementation.</b> Each method is one atomic unit: it happens entirely or not
/// at all, and when its task completes successfully the change is durable (survives a crash or power loss).
/// A faulted task (storage failure) changed nothing. Cancellation is honoured before a method starts its
/// work; once the work has begun it completes, so a cancelled call never leaves half a change.
/// Names passed in must be normalized (<see cref="Username.TryNormalize"/>); times come from the store's
/// clock (<see cref="TimeProvider"/>).</para>
/// <para><b>Not here.</b> Policy: who may message whom, rate limits, sign-in throttling, password checks
/// (<see cref="Accounts.AccountService"/>, <see cref="Accounts.SignInThrottle"/>).</para>
/// <para><b>Hazards.</b> Byte arrays returned are the caller's own; byte arrays passed in may be kept only
/// until the call completes. Nothing here authenticates anyone: callers must have done so.</para>
/// </remarks>
public interface IServerStore
{
    // ---- Accounts -------------------------------------------------------------------------------------

    /// <summary>Creates an account; null when the username is taken.</summary>
    /// <param name="username">A normalized username.</param>
    /// <param name="passwordVerifier">The encoded verifier (<see cref="Accounts.PasswordVerifier.Hash"/>).</param>
    /// <param name="cancellationToken">Cancels before the work starts.</param>
    /// <exception cref="ArgumentException"><paramref name="username"/> is not normalized.</exception>
    Task<Account?> CreateAccountAsync(string username, string passwordVerifier, CancellationToken cancellationToken = default);

    /// <summary>The account with a normalized <paramref name="username"/>, or null.</summary>
    Task<Account?> FindAccountAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>The account with <paramref name="id"/>, or null.</summary>
    Task<Account?> GetAccountAsync(UserId id, CancellationToken cancellationToken = default);

    /// <summary>Replaces the verifier (a rehash with stronger parameters); sessions stay. False: no such account.</summary>
    Task<bool> UpdatePasswordVerifierAsync(UserId user, string passwordVerifier, CancellationToken cancellationToken = default);

    /// <summary>
    /// A password change, atomically: replaces the verifier and revokes every session of the user except the
    /// one whose token hash is <paramref name="keepTokenHash"/> (null: revoke them all).
    /// </summary>
    /// <returns>The number of sessions revoked, or −1 when there is no such account (nothing changed).</returns>
    Task<int> ChangePasswordAsync(UserId user, string passwordVerifier, byte[]? keepTokenHash, CancellationToken cancellationToken = default);

    // ---- Sessions -------------------------------------------------------------------------------------

    /// <summary>Records a session. Its user must exist.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes, or the session expires before it begins.</exception>
    /// <exception cref="InvalidOperationException">The user does not exist, or the hash is already recorded.</exception>
    Task CreateSessionAsync(SignInSession session, CancellationToken cancellationToken = default);

    /// <summary>The live session with <paramref name="tokenHash"/>; null when unknown, revoked or expired (now ≥ expiry).</summary>
    Task<SignInSession?> FindSessionAsync(byte[] tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Revokes one session (sign-out). False: there was none.</summary>
    Task<bool> RevokeSessionAsync(byte[] tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Revokes every session of <paramref name="user"/>; returns how many.</summary>
    Task<int> RevokeAllSessionsAsync(UserId user, CancellationToken cancellationToken = default);

    /// <summary>Housekeeping: deletes expired sessions; returns how many.</summary>
    Task<int> DeleteExpiredSessionsAsync(CancellationToken cancellationToken = default);

    // ---- Contacts (transitions: see ContactState) -----------------------------------------------------

    /// <summary><paramref name="user"/> asks <paramref name="peer"/> to become contacts.</summary>
    Task<ContactOutcome> RequestContactAsync(UserId user, UserId peer, CancellationToken cancellationToken = default);

    /// <summary><paramref name="user"/> accepts the pending request of <paramref name="requester"/>.</summary>
    Task<ContactOutcome> AcceptContactAsync(UserId user, UserId requester, CancellationToken cancellationToken = default);

    /// <summary><paramref name="user"/> declines the pending request of <paramref name="requester"/>.</summary>
    Task<ContactOutcome> DeclineContactAsync(UserId user, UserId requester, CancellationToken cancellationToken = default);

    /// <summary><paramref name="user"/> blocks <paramref name="peer"/>.</summary>
    Task<ContactOutcome> BlockContactAsync(UserId user, UserId peer, CancellationToken cancellationToken = default);

    /// <summary><paramref name="user"/> removes its relation to <paramref name="peer"/> (withdraw, undo decline, unblock, unfriend).</summary>
    Task<ContactOutcome> RemoveContactAsync(UserId user, UserId peer, CancellationToken cancellationToken = default);

    /// <summary><paramref name="user"/>'s contact list as the user may see it, ordered by peer username.</summary>
    Task<IReadOnlyList<Contact>> ListContactsAsync(UserId user, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are accepted contacts (symmetric).</summary>
    Task<bool> AreAcceptedContactsAsync(UserId a, UserId b, CancellationToken cancellationToken = default);

    /// <summary>The accepted contacts of <paramref name="user"/>: whom its presence is pushed to.</summary>
    Task<IReadOnlyList<UserId>> AcceptedContactsOfAsync(UserId user, CancellationToken cancellationToken = default);

    // ---- Store-and-forward messages -------------------------------------------------------------------

    /// <summary>
    /// Accepts a message for <paramref name="recipient"/>; on <see cref="EnqueueStatus.Stored"/> or
    /// <see cref="EnqueueStatus.Duplicate"/> it is durable and may be acknowledged to the sender.
    /// </summary>
    /// <remarks>Idempotent on (<paramref name="sender"/>, <paramref name="clientMessageId"/>), also after the
    /// recipient has acknowledged and the body is gone: the store remembers the ids it accepted (see
    /// <see cref="ForgetMessageIdsAsync"/>).</remarks>
    /// <exception cref="ArgumentException">The body exceeds <see cref="MessageLimits.MaxBodySizeInBytes"/>.</exception>
    Task<EnqueueResult> EnqueueAsync(UserId sender, UserId recipient, Guid clientMessageId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> unacknowledged messages for <paramref name="recipient"/> with a sequence
    /// greater than <paramref name="afterSequence"/>, in increasing sequence (arrival) order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not 1 to <see cref="MessageLimits.MaxBatch"/>.</exception>
    Task<IReadOnlyList<StoredMessage>> PendingForAsync(UserId recipient, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="recipient"/>'s messages with sequence ≤ <paramref name="upToSequence"/>
    /// (a cumulative acknowledgement); nobody else's. Returns how many.</summary>
    Task<int> AcknowledgeAsync(UserId recipient, long upToSequence, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="recipient"/>'s messages with the given sequences; others' sequences
    /// in the list are ignored. Returns how many.</summary>
    Task<int> AcknowledgeAsync(UserId recipient, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default);

    /// <summary>
    /// Housekeeping: forgets the ids of messages accepted before <paramref name="acceptedBefore"/> that have
    /// been acknowledged, after which a resend with such an id would be a new message. Returns how many.
    /// </summary>
    Task<int> ForgetMessageIdsAsync(DateTimeOffset acceptedBefore, CancellationToken cancellationToken = default);

    // ---- Prekey directory -----------------------------------------------------------------------------

    /// <summary>
    /// Publishes a device's keys: the identity key and signed prekey replace the stored ones, the one-time
    /// prekeys join the stock (same id: replaced). A changed identity key drops the old stock (those prekeys
    /// belonged to the old installation).
    /// </summary>
    /// <exception cref="ArgumentException">A key or signature is empty or too large, or too many one-time prekeys.</exception>
    Task<PreKeyUploadResult> UploadPreKeysAsync(UserId owner, uint deviceId, PreKeyUpload upload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands out a bundle for (<paramref name="owner"/>, <paramref name="deviceId"/>) with at most one
    /// one-time prekey, deleted in the same transaction: each one-time prekey is handed out at most once,
    /// whatever the concurrency. Null when the device has published nothing.
    /// </summary>
    Task<StoredPreKeyBundle?> TakeBundleAsync(UserId owner, uint deviceId, CancellationToken cancellationToken = default);

    /// <summary>The one-time prekeys in stock for a device (0 when none or no such device).</summary>
    Task<int> OneTimePreKeyStockAsync(UserId owner, uint deviceId, CancellationToken cancellationToken = default);

    /// <summary>The identity key <paramref name="owner"/> last published for <paramref name="deviceId"/> (what an
    /// identity certificate binds), without handing out anything; null when the device has published nothing.</summary>
    Task<byte[]?> IdentityKeyOfAsync(UserId owner, uint deviceId, CancellationToken cancellationToken = default);

    /// <summary>The devices of <paramref name="owner"/> that have published keys, in increasing order.</summary>
    Task<IReadOnlyList<uint>> DevicesOfAsync(UserId owner, CancellationToken cancellationToken = default);
}
