using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace SecureComms.Server.Storage;

/// <summary>
/// Group commit: every write of the store goes through one queue to one writer, which runs each in its own savepoint
/// inside one transaction per batch and commits the batch with one fsync.
/// </summary>
/// <remarks>
/// <para><b>Guarantees.</b> A write's task completes after the commit that contains it, so "completed" still means
/// "durable" (<c>synchronous=FULL</c>). Writes run, and are committed, in the order they were queued. A write that
/// throws is rolled back to its savepoint and fails alone; a commit that fails (disk full, I/O error) fails every write
/// of its batch, and none of them changed anything.</para>
/// <para><b>Why.</b> With one transaction per write, the fsync (about 0.5 ms here) capped the store at a few thousand
/// writes a second whatever the number of clients (bench/README.md, "Load"). Batching costs a lone write nothing:
/// the writer commits as soon as the queue is empty.</para>
/// <para><b>Cancellation.</b> A write is cancellable only before it is queued; once queued it commits or fails with its
/// batch (a handler must not believe a message was refused when it was in fact stored).</para>
/// </remarks>
public sealed partial class SqliteServerStore
{
    /// <summary>At most 256 writes share one commit (bounds a batch's transaction and its latency).</summary>
    public const int MaxWritesPerCommit = 256;

    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _commits;
    private SqliteTransaction? _writeTransaction;

    /// <summary>Commits so far (tests check that concurrent writes share them).</summary>
    internal long CommitCount => Interlocked.Read(ref _commits);

    /// <summary>Queues <paramref name="work"/> (its writes, in one savepoint) for the next commit; internal for the tests
    /// of the batching itself.</summary>
    internal Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(work);
        if (!_writes.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteServerStore));
        }
        return pending.Task;
    }

    private async Task RunWriterAsync()
    {
        var batch = new List<PendingWrite>(MaxWritesPerCommit);
        while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxWritesPerCommit && _writes.Reader.TryRead(out PendingWrite? next))
            {
                batch.Add(next);
            }
            CommitBatch(batch);
            batch.Clear();
        }
    }

    /// <summary>Runs on the writer task only, the one user of the writer connection (<see cref="Dispose"/> waits for
    /// the task to end before closing it).</summary>
    private void CommitBatch(List<PendingWrite> batch)
    {
        var succeeded = new List<PendingWrite>(batch.Count);
        try
        {
            using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
            _writeTransaction = transaction;
            foreach (PendingWrite pending in batch)
            {
                Execute(_connection, "SAVEPOINT write;");
                try
                {
                    pending.Run(_connection);
                    Execute(_connection, "RELEASE write;");
                    succeeded.Add(pending);
                }
                catch (Exception e) when (e is not SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_FULL or SQLitePCL.raw.SQLITE_IOERR })
                {
                    Execute(_connection, "ROLLBACK TO write; RELEASE write;");
                    pending.Fail(e);
                }
            }
            transaction.Commit();
            Interlocked.Increment(ref _commits);
        }
        catch (Exception e)
        {
            // The transaction is rolled back: nothing of the batch is stored (a write already failed keeps its error).
            batch.ForEach(p => p.Fail(e));
            return;
        }
        finally
        {
            _writeTransaction = null;
        }
        foreach (PendingWrite pending in succeeded)
        {
            pending.Complete();
        }
    }

    /// <summary>A queued write.</summary>
    private abstract class PendingWrite
    {
        public abstract void Run(SqliteConnection connection);

        public abstract void Complete();

        public abstract void Fail(Exception e);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, T> work) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _done.Task;

        public override void Run(SqliteConnection connection) => _result = work(connection);

        public override void Complete() => _done.TrySetResult(_result!);

        public override void Fail(Exception e) => _done.TrySetException(e);
    }
}
