namespace SecureComms.Server.Storage;

/// <summary>One entry of a user's contact list, as that user sees it.</summary>
/// <param name="Peer">The other account.</param>
/// <param name="PeerUsername">Its normalized username.</param>
/// <param name="State">The relation as the user may see it (hidden requests are not listed).</param>
/// <param name="Since">When the relation last changed.</param>
public sealed record Contact(UserId Peer, string PeerUsername, ContactState State, DateTimeOffset Since);
