export * from './game-days.ts';
