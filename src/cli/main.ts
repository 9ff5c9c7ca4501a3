export async function main(argv: string[]): Promise<void> { console.log("hi", argv.length); }
