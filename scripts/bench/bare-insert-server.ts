import { createServer } from 'node:http';
import postgres from 'postgres';

/**
 * The submission benchmark's baseline (scripts/bench/http.ts): what node:http and postgres.js do
 * for a POST that reads its body and inserts one row, with none of the app around it.
 */
const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
await sql`create table if not exists bench_bare_inserts (id uuid primary key default gen_random_uuid(), body text not null, created_at timestamptz not null default now())`;

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    sql`insert into bench_bare_inserts (body) values (${Buffer.concat(chunks).toString('utf8')})`.then(
      () => response.writeHead(302, { Location: '/' }).end(),
      () => response.writeHead(500).end(),
    );
  });
}).listen(Number(process.env.PORT), () => console.log('ready'));
