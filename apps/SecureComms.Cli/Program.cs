using System.CommandLine;
using SecureComms.Cli;

var root = new RootCommand("SecureComms: a reference implementation of Skype's security architecture.");
root.Subcommands.Add(ConformanceCommand.Create());
root.Subcommands.Add(ShimCommand.Create());
root.Subcommands.Add(ServerCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
foreach (System.CommandLine.Command command in SecureComms.Cli.Client.ClientCommands.Create())
{
    root.Subcommands.Add(command);
}
return root.Parse(args).Invoke();
